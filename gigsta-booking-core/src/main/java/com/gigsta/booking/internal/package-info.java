/**
 * The library's leaf argument checks ({@link com.gigsta.booking.internal.Preconditions}), which depend on
 * nothing but the JDK. Exported only to the library's own modules; free to change in any release.
 */
package com.gigsta.booking.internal;
