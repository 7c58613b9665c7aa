package com.gigsta.booking.jdbc.crash;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.GigstaWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bookings a crash child or the worker test's parent creates, each taken along one of six paths
 * that together owe every kind of settlement the default workflow makes: the capture of the charge at
 * every acceptance, a payout after completion, refunds after cancellations by either party; and three
 * paths that move no money (a decline, a cancelled request and an expiry). All bookings move one step
 * per round, so a sweep between rounds finds several settlements at once. The engine's releases of
 * payments secured for changes it could not record, and the worker's releases of abandoned holds, come
 * on top.
 */
final class Scenario {

  /** The most steps after the request that a path takes. */
  static final int ROUNDS = 3;

  private record Step(String actor, String action) {}

  // The actor is "customer", "gigsta" or "system".
  private static final List<List<Step>> PATHS = List.of(
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("gigsta", GigstaWorkflow.MARK_IN_PROGRESS),
          new Step("gigsta", GigstaWorkflow.MARK_COMPLETED)),
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("customer", GigstaWorkflow.CANCEL_BOOKING)),
      List.of(new Step("gigsta", GigstaWorkflow.DECLINE_BOOKING)),
      List.of(new Step("customer", GigstaWorkflow.CANCEL_BOOKING)),
      List.of(new Step("gigsta", GigstaWorkflow.ACCEPT_BOOKING), new Step("gigsta", GigstaWorkflow.CANCEL_BOOKING)),
      List.of(new Step("system", GigstaWorkflow.EXPIRE_BOOKING)));

  private final BookingEngine engine;
  private final List<Booking> bookings = new ArrayList<>();
  private final List<Integer> paths = new ArrayList<>();

  private Scenario(BookingEngine engine) {
    this.engine = engine;
  }

  /**
   * Requests {@code count} bookings with ids {@code <prefix>-<i>}; {@code after} is told every change.
   */
  static Scenario request(BookingEngine engine, String prefix, int count, Consumer<BookingChange> after) {
    Scenario scenario = new Scenario(engine);
    for (int i = 0; i < count; i++) {
      String id = prefix + "-" + i;
      BookingChange change = engine.requestBooking(id, Actor.customer("c-" + id), "g-" + id, null);
      after.accept(change);
      scenario.bookings.add(change.booking());
      scenario.paths.add(i % PATHS.size());
    }
    return scenario;
  }

  /** Takes every booking whose path is that long one step further: round 1, 2 or 3. */
  void round(int round, Consumer<BookingChange> after) {
    for (int i = 0; i < bookings.size(); i++) {
      List<Step> path = PATHS.get(paths.get(i));
      if (round > path.size()) {
        continue;
      }
      Step step = path.get(round - 1);
      Booking booking = bookings.get(i);
      Actor actor = switch (step.actor()) {
        case "customer" -> Actor.customer(booking.customerId());
        case "gigsta" -> Actor.gigsta(booking.gigstaId());
        default -> Actor.system();
      };
      BookingChange change = engine.perform(booking, actor, step.action());
      bookings.set(i, change.booking());
      after.accept(change);
    }
  }
}
