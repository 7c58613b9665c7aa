/**
 * Spring Boot auto-configuration of gigsta-booking: the {@code gigsta.booking.*} properties, the audit
 * trail, engine and delivery worker built from the application's beans, the worker's lifecycle, and the
 * schema location added to Flyway. Applications use it through the starter's dependency and properties;
 * the classes are public so that an application can refer to them, e.g. to exclude one.
 */
package com.gigsta.booking.spring;
