/**
 * The actuator health indicator of gigsta-booking and its auto-configuration, active only with Actuator on
 * the class path.
 */
package com.gigsta.booking.spring.health;
