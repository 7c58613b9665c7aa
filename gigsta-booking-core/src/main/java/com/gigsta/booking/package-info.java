/**
 * The public API: {@link com.gigsta.booking.BookingEngine}, the {@link com.gigsta.booking.Workflow} it
 * runs, the values it returns and the exceptions it throws. Stable: changes follow semantic versioning.
 */
package com.gigsta.booking;
