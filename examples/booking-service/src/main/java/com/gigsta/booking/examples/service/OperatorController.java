package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Delivery;
import com.gigsta.booking.DeliveryWorker;
import com.gigsta.booking.InvalidBookingInputException;
import com.gigsta.booking.Money;
import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.testing.FakeProcessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an operator can see of and do to the demo's card processor (its switches, and its ledger of every
 * booking's money) and the delivery worker's dead letters; only operators reach it ({@link SecurityConfig}).
 */
@RestController
@RequestMapping(path = "/api/operator", produces = "application/json")
public class OperatorController {

  /** The most dead letters listed per consumer; the count covers them all. */
  static final int DEAD_LETTERS_LISTED = 50;

  private final SwitchablePaymentHooks payments;
  private final DeliveryWorker worker;

  OperatorController(SwitchablePaymentHooks payments, DeliveryWorker worker) {
    this.payments = payments;
    this.worker = worker;
  }

  /** The processor's switches and the ledger of every booking it has seen, the newest booking first. */
  public record Payments(
      @JsonProperty("decline_all") boolean declineAll,
      @JsonProperty("fail_refunds") boolean failRefunds,
      @JsonProperty("declining_customers") Set<String> decliningCustomers,
      @JsonProperty("ledgers") List<BookingLedger> ledgers) {}

  /**
   * What the card processor did with one booking's money: its {@link FakeProcessor.Ledger} with each
   * amount in the booking's currency, and the calls that took effect, oldest first.
   */
  public record BookingLedger(
      @JsonProperty("booking_id") String bookingId,
      @JsonProperty("authorized") Money authorized,
      @JsonProperty("captured") Money captured,
      @JsonProperty("refunded") Money refunded,
      @JsonProperty("paid_out") Money paidOut,
      @JsonProperty("released") Money released,
      @JsonProperty("charged") Money charged,
      @JsonProperty("declines") int declines,
      @JsonProperty("lapsed_capture_refusals") int lapsedCaptureRefusals,
      @JsonProperty("calls") List<Call> calls) {

    static BookingLedger of(FakeProcessor.Ledger ledger, List<Call> calls) {
      Currency currency = ledger.currency();
      return new BookingLedger(ledger.bookingId(), money(ledger.authorized(), currency),
          money(ledger.captured(), currency), money(ledger.refunded(), currency), money(ledger.paidOut(), currency),
          money(ledger.released(), currency), money(ledger.charged(), currency), ledger.declines(),
          ledger.lapsedCaptureRefusals(), calls);
    }
  }

  /** One call to the card processor that took effect, with its idempotency key. */
  public record Call(
      @JsonProperty("moment") PaymentMoment moment,
      @JsonProperty("idempotency_key") String idempotencyKey,
      @JsonProperty("effect") FakeProcessor.Effect effect,
      @JsonProperty("amount") Money amount,
      @JsonProperty("at") String at) {

    static Call of(FakeProcessor.Call call) {
      Money requested = call.request().amount();
      return new Call(call.moment(), call.request().idempotencyKey(), call.effect(),
          money(call.amount(), requested == null ? null : requested.currency()), call.at().toString());
    }
  }

  /** The body of the decline switch; the value is required, so that {@code {}} switches nothing. */
  public record DeclineAll(@JsonProperty("decline_all") Boolean declineAll) {}

  /** The body of the refund failure switch; the value is required, so that {@code {}} switches nothing. */
  public record FailRefunds(@JsonProperty("fail_refunds") Boolean failRefunds) {}

  /** One change the worker gave up delivering to a consumer. */
  public record DeadLetter(
      @JsonProperty("booking_id") String bookingId,
      @JsonProperty("sequence") long sequence,
      @JsonProperty("action_name") String actionName,
      @JsonProperty("payment_moment") PaymentMoment paymentMoment,
      @JsonProperty("occurred_at") String occurredAt,
      @JsonProperty("failed_attempts") int failedAttempts,
      @JsonProperty("last_error") String lastError) {

    static DeadLetter of(Delivery delivery) {
      AuditEntry entry = delivery.change().entry();
      return new DeadLetter(entry.bookingId(), entry.sequence(), entry.actionName(),
          delivery.change().paymentMoment(), entry.occurredAtIso(), delivery.failedAttempts(), delivery.lastError());
    }
  }

  /** A consumer's dead letters: how many there are, and the oldest of them. */
  public record ConsumerDeadLetters(
      @JsonProperty("consumer") String consumer,
      @JsonProperty("count") long count,
      @JsonProperty("dead_letters") List<DeadLetter> deadLetters) {}

  @GetMapping("/payments")
  Payments payments() {
    FakeProcessor processor = payments.processor();
    Map<String, List<Call>> calls = processor.effectiveCalls().stream()
        .collect(Collectors.groupingBy(call -> call.request().bookingId(),
            Collectors.mapping(Call::of, Collectors.toList())));
    List<BookingLedger> ledgers = new ArrayList<>();
    for (FakeProcessor.Ledger ledger : processor.ledgers().values()) {
      ledgers.add(BookingLedger.of(ledger, calls.getOrDefault(ledger.bookingId(), List.of())));
    }
    // The processor lists bookings in the order it first saw them.
    Collections.reverse(ledgers);
    return new Payments(payments.declinesAll(), payments.failsRefunds(), payments.decliningCustomers(), ledgers);
  }

  @PutMapping(path = "/payments/decline-all", consumes = "application/json")
  Payments declineAll(@RequestBody DeclineAll body) {
    payments.declineAll(required(body.declineAll(), "decline_all"));
    return payments();
  }

  @PutMapping(path = "/payments/fail-refunds", consumes = "application/json")
  Payments failRefunds(@RequestBody FailRefunds body) {
    payments.failRefunds(required(body.failRefunds(), "fail_refunds"));
    return payments();
  }

  private static boolean required(Boolean value, String field) {
    if (value == null) {
      throw new InvalidBookingInputException(field, field + " must be true or false but was missing");
    }
    return value;
  }

  /** Every consumer the worker delivers to, settlements first, with its dead letters. */
  @GetMapping("/dead-letters")
  List<ConsumerDeadLetters> deadLetters() {
    return worker.consumers().stream().map(this::deadLettersOf).toList();
  }

  @GetMapping("/dead-letters/{consumer}")
  ConsumerDeadLetters deadLetters(@PathVariable String consumer) {
    return deadLettersOf(known(consumer));
  }

  /**
   * Makes a dead letter due again now, with its attempts reset; the worker delivers it on its next sweep.
   * Answers the consumer's dead letters as they are after the resubmission.
   */
  @PostMapping("/dead-letters/{consumer}/{bookingId}/{sequence}/resubmit")
  ConsumerDeadLetters resubmit(@PathVariable String consumer, @PathVariable String bookingId,
      @PathVariable long sequence) {
    if (!worker.resubmit(known(consumer), bookingId, sequence)) {
      throw notFound("NO_DEAD_LETTER", "no dead letter of " + consumer + " for booking '" + bookingId + "' at sequence "
          + sequence, "There is no such dead letter; it may have been resubmitted already.");
    }
    return deadLettersOf(consumer);
  }

  private ConsumerDeadLetters deadLettersOf(String consumer) {
    return new ConsumerDeadLetters(consumer, worker.deadLetterCount(consumer),
        worker.deadLetters(consumer, DEAD_LETTERS_LISTED).stream().map(DeadLetter::of).toList());
  }

  private String known(String consumer) {
    if (!worker.consumers().contains(consumer)) {
      throw notFound("UNKNOWN_CONSUMER", "no consumer '" + consumer + "'; the worker delivers to " + worker.consumers(),
          "There is no consumer called \u201c" + consumer + "\u201d.");
    }
    return consumer;
  }

  // Every booking of this service has a price, so the processor knows its currency; without one it counts
  // calls, which are no money.
  private static Money money(long amountMinor, Currency currency) {
    return currency == null ? null : new Money(amountMinor, currency);
  }

  private static ErrorResponseException notFound(String code, String detail, String message) {
    ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, code, "Not found", detail, message);
    return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
  }
}
