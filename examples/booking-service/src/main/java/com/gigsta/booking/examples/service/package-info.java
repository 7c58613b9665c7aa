/**
 * An example host service: shows how an application takes the actor from its authenticated user, maps
 * refusals to HTTP problems, renders the available actions and keeps its own index next to the audit
 * trail. Not a published API; free to change.
 */
package com.gigsta.booking.examples.service;
