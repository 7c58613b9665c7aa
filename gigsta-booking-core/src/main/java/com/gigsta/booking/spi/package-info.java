/**
 * The ports a host implements to plug the engine into its own storage and payment provider:
 * {@link com.gigsta.booking.spi.AuditTrail} and {@link com.gigsta.booking.spi.PaymentHooks}, with
 * in-memory and recording implementations. Stable for implementers: methods are only added with defaults.
 */
package com.gigsta.booking.spi;
