package com.gigsta.booking.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChange;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.BookingState;
import com.gigsta.booking.GigstaWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Conflicting engine actions on the same bookings, and the check of their outcomes against the stored
 * histories: one winner per booking and round, every winner's exact row stored, every loser told with
 * {@link BookingChangedConcurrentlyException}, gap-free sequences and intact chains.
 */
final class Race {

  /** One contender's outcome, as a line a child process can print. */
  record Outcome(String bookingId, int round, boolean won, long sequence, String action, String role,
      String occurredAt, String failure) {

    static Outcome won(int round, BookingChange change) {
      AuditEntry entry = change.entry();
      return new Outcome(entry.bookingId(), round, true, entry.sequence(), entry.actionName(),
          entry.actorRole().name(), entry.occurredAtIso(), "-");
    }

    static Outcome lost(String bookingId, int round, RuntimeException failure) {
      boolean expected = failure instanceof BookingChangedConcurrentlyException e && bookingId.equals(e.bookingId());
      return new Outcome(bookingId, round, false, 0, "-", "-", "-",
          expected ? "BookingChangedConcurrentlyException" : failure.getClass().getSimpleName());
    }

    String line() {
      return String.join(" ", "OUTCOME", bookingId, Integer.toString(round), Boolean.toString(won),
          Long.toString(sequence), action, role, occurredAt, failure);
    }

    static Outcome parse(String line) {
      String[] p = line.split(" ");
      return new Outcome(p[1], Integer.parseInt(p[2]), Boolean.parseBoolean(p[3]), Long.parseLong(p[4]), p[5], p[6],
          p[7], p[8]);
    }
  }

  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

  private Race() {}

  static Race create() {
    return new Race();
  }

  /** The k-th of the conflicting actions the workflow allows from the snapshot's state. */
  static Attempt attemptFor(Booking booking, int k) {
    List<Attempt> choices;
    if (booking.state().equals(BookingState.REQUESTED)) {
      choices = List.of(new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.ACCEPT_BOOKING),
          new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.DECLINE_BOOKING),
          new Attempt(Actor.customer(booking.customerId()), GigstaWorkflow.CANCEL_BOOKING),
          new Attempt(Actor.system(), GigstaWorkflow.EXPIRE_BOOKING));
    } else if (booking.state().equals(BookingState.ACCEPTED)) {
      choices = List.of(new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.MARK_IN_PROGRESS),
          new Attempt(Actor.customer(booking.customerId()), GigstaWorkflow.CANCEL_BOOKING),
          new Attempt(Actor.gigsta(booking.gigstaId()), GigstaWorkflow.CANCEL_BOOKING));
    } else {
      return null;
    }
    return choices.get(Math.floorMod(k, choices.size()));
  }

  /** One action by one actor. */
  record Attempt(Actor actor, String action) {}

  /** Performs the k-th conflicting action on the (possibly stale) snapshot and records the outcome. */
  static Outcome contend(BookingEngine engine, Booking snapshot, int round, int k) {
    Attempt attempt = attemptFor(snapshot, k);
    try {
      return Outcome.won(round, engine.perform(snapshot, attempt.actor(), attempt.action()));
    } catch (RuntimeException e) {
      return Outcome.lost(snapshot.id(), round, e);
    }
  }

  void add(Outcome outcome) {
    outcomes.add(outcome);
  }

  /** Checks every outcome against the trail, prints the counts and asserts there is no anomaly. */
  void check(String label, JdbcAuditTrail trail) {
    Map<String, Map<Integer, List<Outcome>>> byBooking = new TreeMap<>();
    for (Outcome outcome : outcomes) {
      byBooking.computeIfAbsent(outcome.bookingId(), id -> new TreeMap<>())
          .computeIfAbsent(outcome.round(), r -> new ArrayList<>()).add(outcome);
    }
    int races = 0;
    int winners = 0;
    int losers = 0;
    List<String> anomalies = new ArrayList<>();
    for (var booking : byBooking.entrySet()) {
      String id = booking.getKey();
      List<AuditEntry> history = trail.history(id);
      for (int i = 0; i < history.size(); i++) {
        if (history.get(i).sequence() != i + 1) {
          anomalies.add(id + ": sequence " + history.get(i).sequence() + " at position " + (i + 1));
        }
      }
      ChainVerification chain = trail.verify(id);
      if (!chain.intact()) {
        anomalies.add(id + ": chain broken: " + chain.problem());
      }
      for (var round : booking.getValue().entrySet()) {
        List<Outcome> contenders = round.getValue();
        if (contenders.size() > 1) {
          races++;
        }
        List<Outcome> won = contenders.stream().filter(Outcome::won).toList();
        winners += won.size();
        for (Outcome lost : contenders) {
          if (!lost.won()) {
            losers++;
            if (!lost.failure().equals("BookingChangedConcurrentlyException")) {
              anomalies.add(id + " round " + round.getKey() + ": a loser got " + lost.failure());
            }
          }
        }
        if (won.size() != 1) {
          anomalies.add(id + " round " + round.getKey() + ": " + won.size() + " winners");
          continue;
        }
        Outcome winner = won.get(0);
        AuditEntry stored = winner.sequence() <= history.size() ? history.get((int) winner.sequence() - 1) : null;
        if (stored == null || !stored.actionName().equals(winner.action())
            || !stored.actorRole().name().equals(winner.role()) || !stored.occurredAtIso().equals(winner.occurredAt())) {
          anomalies.add(id + " round " + round.getKey() + ": the winner's row is not stored as returned: " + winner
              + " vs " + stored);
        }
      }
      int expectedRows = 1 + (int) booking.getValue().values().stream()
          .filter(round -> round.stream().anyMatch(Outcome::won)).count();
      if (history.size() != expectedRows) {
        anomalies.add(id + ": " + history.size() + " rows but " + expectedRows + " recorded changes");
      }
    }
    System.out.printf("%s: %d races, %d winners, %d losers, %d anomalies%n", label, races, winners, losers,
        anomalies.size());
    assertThat(anomalies).isEmpty();
    assertThat(races).isPositive();
  }
}
