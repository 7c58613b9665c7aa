/**
 * The public API: {@link com.gigsta.booking.BookingEngine}, the {@link com.gigsta.booking.Workflow} it
 * runs, the values it returns and the exceptions it throws. Stable: changes follow semantic versioning.
 *
 * <p>The engine's implementation lives here too, package-private: the compiled workflow that decides
 * every change, the StatefulJ adapter that runs it, and the content rules for input. A change can be
 * followed from {@code BookingEngine.perform} to the audit trail without leaving this package.
 */
package com.gigsta.booking;
