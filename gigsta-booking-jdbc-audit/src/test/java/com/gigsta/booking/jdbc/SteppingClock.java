package com.gigsta.booking.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it on; thread-safe. */
final class SteppingClock extends Clock {

  private final AtomicReference<Instant> now;

  SteppingClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Moves the clock on by the duration. */
  void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a stepping clock is always UTC");
  }
}
