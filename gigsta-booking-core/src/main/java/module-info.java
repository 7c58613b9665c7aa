/**
 * The GigSta booking workflow: which actions each person may take on a booking, carrying them out,
 * and recording every change.
 */
// StatefulJ ships no module descriptor, so it can only be required by its file-based automatic name.
@SuppressWarnings({"requires-automatic", "module"})
module com.gigsta.booking {
  requires transitive com.fasterxml.jackson.annotation;
  requires org.slf4j;
  requires statefulj.fsm;

  exports com.gigsta.booking;
  exports com.gigsta.booking.spi;
  // The leaf argument checks, shared with the library's own modules only.
  exports com.gigsta.booking.internal to com.gigsta.booking.jdbc;
}
