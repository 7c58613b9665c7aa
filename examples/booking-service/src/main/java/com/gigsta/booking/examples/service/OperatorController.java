package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What an operator can see of and do to the fake card processor; only operators reach it. */
@RestController
@RequestMapping(path = "/api/operator/payments", produces = "application/json")
public class OperatorController {

  private final FakeCardProcessor processor;

  OperatorController(FakeCardProcessor processor) {
    this.processor = processor;
  }

  /** The processor's switches and every operation that took effect. */
  public record Payments(
      @JsonProperty("decline_all") boolean declineAll,
      @JsonProperty("declining_customers") Set<String> decliningCustomers,
      @JsonProperty("ledger") List<FakeCardProcessor.Operation> ledger) {}

  /** The body of the decline switch. */
  public record DeclineAll(@JsonProperty("decline_all") boolean declineAll) {}

  @GetMapping
  Payments payments() {
    return new Payments(processor.declinesAll(), processor.decliningCustomers(), processor.ledger());
  }

  @PutMapping(path = "/decline-all", consumes = "application/json")
  Payments declineAll(@RequestBody DeclineAll body) {
    processor.declineAll(body.declineAll());
    return payments();
  }
}
