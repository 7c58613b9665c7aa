package com.gigsta.booking;

import static com.gigsta.booking.internal.Preconditions.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When a timed rule or reminder is due: a duration after a {@link Timepoint} of the booking, the
 * earliest or latest of several such deadlines, or a duration before another deadline. Immutable and
 * thread-safe; equal when built the same way.
 *
 * <pre>{@code
 * // Expire a request 6 days after it was made, or 1 day after its scheduled start if that comes first.
 * Deadline expiry = Deadline.earliestOf(
 *     Deadline.after(Duration.ofDays(6), Timepoint.CREATED),
 *     Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START));
 * // Remind the GigSta a day before that.
 * Deadline reminder = Deadline.before(Duration.ofHours(24), expiry);
 * }</pre>
 *
 * <p>A {@link Timepoint#SCHEDULED_START} of a booking that has none leaves its part out: the earliest or
 * latest of the remaining parts counts, and a deadline with no part left has no due time.
 * {@link Workflow.Builder#build()} refuses durations that are not positive, and deadlines that could be
 * left with no part.
 */
public final class Deadline {

  private enum Kind { AFTER, BEFORE, EARLIEST, LATEST }

  private final Kind kind;
  private final Duration duration;
  private final Timepoint timepoint;
  private final List<Deadline> parts;

  private Deadline(Kind kind, Duration duration, Timepoint timepoint, List<Deadline> parts) {
    this.kind = kind;
    this.duration = duration;
    this.timepoint = timepoint;
    this.parts = parts;
  }

  /**
   * Returns the deadline a duration after a timepoint of the booking.
   *
   * @param duration how long after; {@link Workflow.Builder#build()} requires it to be positive
   * @param timepoint the booking's timepoint counted from
   * @return the deadline
   * @throws NullPointerException if an argument is null
   */
  public static Deadline after(Duration duration, Timepoint timepoint) {
    return new Deadline(Kind.AFTER, requireNonNull(duration, "duration"), requireNonNull(timepoint, "timepoint"),
        List.of());
  }

  /**
   * Returns the deadline a duration before another, e.g. to remind people before a request expires. A
   * reminder whose due time lies before its state was entered is due at once.
   *
   * @param duration how long before; {@link Workflow.Builder#build()} requires it to be positive
   * @param deadline the deadline counted back from
   * @return the deadline
   * @throws NullPointerException if an argument is null
   */
  public static Deadline before(Duration duration, Deadline deadline) {
    return new Deadline(Kind.BEFORE, requireNonNull(duration, "duration"), null,
        List.of(requireNonNull(deadline, "deadline")));
  }

  /**
   * Returns the deadline that falls at the earliest of the given ones.
   *
   * @param first a deadline
   * @param more further deadlines
   * @return the earliest of them
   * @throws NullPointerException if any is null
   */
  public static Deadline earliestOf(Deadline first, Deadline... more) {
    return new Deadline(Kind.EARLIEST, null, null, listOf(first, more));
  }

  /**
   * Returns the deadline that falls at the latest of the given ones.
   *
   * @param first a deadline
   * @param more further deadlines
   * @return the latest of them
   * @throws NullPointerException if any is null
   */
  public static Deadline latestOf(Deadline first, Deadline... more) {
    return new Deadline(Kind.LATEST, null, null, listOf(first, more));
  }

  private static List<Deadline> listOf(Deadline first, Deadline... more) {
    List<Deadline> all = new ArrayList<>();
    all.add(requireNonNull(first, "deadline"));
    for (Deadline deadline : requireNonNull(more, "deadlines")) {
      all.add(requireNonNull(deadline, "deadline"));
    }
    return List.copyOf(all);
  }

  /**
   * Returns when a timed rule or reminder with this deadline falls due for a booking with the given
   * timepoints: at the deadline, or when the booking entered its current state if that is later (a request
   * made for a start already past expires at once, rather than never).
   *
   * @param times the booking's timepoints, as its trail records them
   * @return the due time, or empty if the deadline rests only on a scheduled start the booking lacks
   * @throws NullPointerException if {@code times} is null
   */
  public Optional<Instant> dueAt(BookingTimes times) {
    requireNonNull(times, "times");
    Instant entered = times.at(Timepoint.STATE_ENTERED);
    return falls(times).map(deadline -> deadline.isBefore(entered) ? entered : deadline);
  }

  private Optional<Instant> falls(BookingTimes times) {
    return switch (kind) {
      case AFTER -> Optional.ofNullable(times.at(timepoint)).map(instant -> instant.plus(duration));
      case BEFORE -> parts.get(0).falls(times).map(instant -> instant.minus(duration));
      case EARLIEST -> parts.stream().map(part -> part.falls(times)).flatMap(Optional::stream)
          .min(Instant::compareTo);
      case LATEST -> parts.stream().map(part -> part.falls(times)).flatMap(Optional::stream)
          .max(Instant::compareTo);
    };
  }

  /**
   * Returns the timepoint and total offset of every {@code after} in this deadline, and the state's entry
   * with no offset. A due time from {@link #dueAt} always equals one of them (the timepoint's value plus
   * the offset), so a timer is found by looking, term by term, for the values that make it due.
   */
  List<Term> terms() {
    List<Term> terms = new ArrayList<>();
    collectTerms(Duration.ZERO, terms);
    Term entered = new Term(Timepoint.STATE_ENTERED, Duration.ZERO);
    if (!terms.contains(entered)) {
      terms.add(entered);
    }
    return List.copyOf(terms);
  }

  private void collectTerms(Duration shift, List<Term> terms) {
    switch (kind) {
      case AFTER -> terms.add(new Term(timepoint, shift.plus(duration)));
      case BEFORE -> parts.get(0).collectTerms(shift.minus(duration), terms);
      default -> parts.forEach(part -> part.collectTerms(shift, terms));
    }
  }

  /** Describes every duration that is not positive, for {@link Workflow.Builder#build()}. */
  void collectDurationProblems(List<String> problems) {
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      problems.add("durations must be positive but " + this + " has " + duration);
    }
    parts.forEach(part -> part.collectDurationProblems(problems));
  }

  /**
   * Returns whether every booking has a due time; a deadline resting only on an optional scheduled start
   * may have none.
   */
  boolean alwaysDue(boolean scheduledStartRequired) {
    return switch (kind) {
      case AFTER -> timepoint != Timepoint.SCHEDULED_START || scheduledStartRequired;
      case BEFORE -> parts.get(0).alwaysDue(scheduledStartRequired);
      case EARLIEST, LATEST -> parts.stream().anyMatch(part -> part.alwaysDue(scheduledStartRequired));
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Deadline that && kind == that.kind && java.util.Objects.equals(duration, that.duration)
        && timepoint == that.timepoint && parts.equals(that.parts);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, duration, timepoint, parts);
  }

  /**
   * Describes the deadline, e.g. {@code earliest of (6d after CREATED, 1d after SCHEDULED_START)}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return switch (kind) {
      case AFTER -> format(duration) + " after " + timepoint;
      case BEFORE -> format(duration) + " before " + parts.get(0);
      case EARLIEST -> "earliest of (" + parts.stream().map(Deadline::toString).collect(Collectors.joining(", "))
          + ")";
      case LATEST -> "latest of (" + parts.stream().map(Deadline::toString).collect(Collectors.joining(", ")) + ")";
    };
  }

  // Whole days, hours, minutes and seconds as "1d12h", anything else (sub-second, not positive) as ISO-8601.
  static String format(Duration duration) {
    if (duration.isZero() || duration.isNegative() || duration.getNano() != 0) {
      return duration.toString();
    }
    StringBuilder text = new StringBuilder();
    long seconds = duration.getSeconds();
    long[] units = {86_400, 3_600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (seconds >= units[i]) {
        text.append(seconds / units[i]).append(names[i]);
        seconds %= units[i];
      }
    }
    return text.toString();
  }

  /** One {@code after} of a deadline: the timepoint and the total offset from it, negative after a {@code before}. */
  record Term(Timepoint timepoint, Duration offset) {}
}
