/**
 * Implementation details of the engine (compiled workflow tables, the StatefulJ driver, argument
 * checks). Not exported by the module and free to change in any release.
 */
package com.gigsta.booking.internal;
