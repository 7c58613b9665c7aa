/**
 * Micrometer observation of gigsta-booking: the {@link com.gigsta.booking.BookingObserver} that makes
 * observations (metrics and traces) of changes, appends and deliveries, the worker's gauges, and their
 * auto-configuration. The metric names and tags are stable API; the classes may gain members.
 */
package com.gigsta.booking.spring.observation;
