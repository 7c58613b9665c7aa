package com.gigsta.booking;

import static com.gigsta.booking.BookingState.ACCEPTED;
import static com.gigsta.booking.BookingState.DECLINED;
import static com.gigsta.booking.BookingState.EXPIRED;
import static com.gigsta.booking.BookingState.REQUESTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link Workflow.Builder#build()} refuses in timed rules and reminders, and what it accepts. */
class TimedWorkflowValidationTest {

  private static final BookingState DISPUTED = BookingState.of("DISPUTED");
  private static final Deadline ONE_DAY = Deadline.after(Duration.ofDays(1), Timepoint.CREATED);
  private static final Deadline AFTER_START = Deadline.after(Duration.ofDays(1), Timepoint.SCHEDULED_START);

  // A request the GigSta accepts or declines, or that operators' scripts expire by hand.
  private static Workflow.Builder base() {
    return Workflow.builder("timed").initialState(REQUESTED)
        .creation("request_booking", Role.CUSTOMER, "Requested")
        .action("accept_booking").by(Role.GIGSTA).from(REQUESTED).to(ACCEPTED).label("Accept").note("Accepted").add()
        .action("decline_booking").by(Role.GIGSTA).from(REQUESTED).to(DECLINED).label("Decline").note("Declined")
            .add()
        .action("expire_now").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).note("Expired on request").add()
        .terminalStates(ACCEPTED, DECLINED, EXPIRED);
  }

  private static Workflow.Builder timeOut(Workflow.Builder builder, Role role, Deadline deadline) {
    return builder.action("time_out").by(role).from(REQUESTED).to(EXPIRED).label("Time out").note("Timed out")
        .after(deadline).add();
  }

  @Test
  void shouldBuildTimedRulesAndRemindersAndListThem() {
    Workflow workflow = timeOut(base(), Role.SYSTEM, ONE_DAY)
        .reminder("nudge").in(REQUESTED).to(Role.GIGSTA).at(Deadline.before(Duration.ofHours(2), ONE_DAY))
            .note("Please answer").add()
        .build();

    assertThat(workflow.timedRules()).singleElement().satisfies(rule -> {
      assertThat(rule.actionName()).isEqualTo("time_out");
      assertThat(rule.deadline()).isEqualTo(ONE_DAY);
      assertThat(rule.isTimed()).isTrue();
    });
    assertThat(workflow.rules()).filteredOn(rule -> !rule.isTimed()).extracting(WorkflowRule::actionName)
        .containsExactly("accept_booking", "decline_booking", "expire_now");
    assertThat(workflow.reminders()).containsExactly(new WorkflowReminder("nudge", REQUESTED, Role.GIGSTA,
        "Please answer", Deadline.before(Duration.ofHours(2), ONE_DAY)));
    assertThat(workflow.scheduledStartRequired()).isFalse();
  }

  @Test
  void shouldRefuseATimedRuleThatPeopleWouldTake() {
    assertThatThrownBy(() -> timeOut(base(), Role.GIGSTA, ONE_DAY).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: timed rule time_out from REQUESTED is taken by the system when "
            + "due, so it must be by SYSTEM, not GIGSTA");
  }

  @Test
  void shouldRefuseDurationsThatAreNotPositiveWhereverTheySit() {
    Deadline zero = Deadline.after(Duration.ZERO, Timepoint.CREATED);
    Deadline negativeBefore = Deadline.before(Duration.ofHours(-1), ONE_DAY);

    assertThatThrownBy(() -> timeOut(base(), Role.SYSTEM, Deadline.earliestOf(ONE_DAY, zero, negativeBefore))
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: "
            + "timed rule time_out from REQUESTED: durations must be positive but PT0S after CREATED has PT0S; "
            + "timed rule time_out from REQUESTED: durations must be positive but PT-1H before 1d after CREATED "
            + "has PT-1H");
    assertThatThrownBy(() -> base().reminder("nudge").in(REQUESTED).to(Role.GIGSTA)
        .at(Deadline.after(Duration.ofNanos(-1), Timepoint.STATE_ENTERED)).note("Please answer").add().build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: reminder nudge in REQUESTED: durations must be positive but "
            + "PT-0.000000001S after STATE_ENTERED has PT-0.000000001S");
  }

  @Test
  void shouldRefuseTwoTimedRulesFromOneStateToTheSameState() {
    assertThatThrownBy(() -> timeOut(base(), Role.SYSTEM, ONE_DAY)
        .action("give_up").by(Role.SYSTEM).from(REQUESTED).to(EXPIRED).note("Given up")
            .after(Deadline.after(Duration.ofDays(2), Timepoint.STATE_ENTERED)).add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: more than one timed rule from REQUESTED to EXPIRED; at most one "
            + "may be");
  }

  @Test
  void shouldAcceptTimedRulesToDifferentStatesAndATimedRuleBesideAnUntimedOne() {
    Workflow workflow = timeOut(base(), Role.SYSTEM, ONE_DAY)
        .action("auto_decline").by(Role.SYSTEM).from(REQUESTED).to(DECLINED).note("Declined by itself")
            .after(Deadline.after(Duration.ofHours(12), Timepoint.CREATED)).add()
        .build();

    assertThat(workflow.timedRules()).extracting(WorkflowRule::actionName).containsExactly("time_out",
        "auto_decline");
  }

  @Test
  void shouldRefuseReminderNamesThatCannotNameAConsumer() {
    String longest = "r" + "x".repeat(54);
    assertThat(base().reminder(longest).in(REQUESTED).to(Role.GIGSTA).at(ONE_DAY).note("Please answer").add()
        .build().reminders().get(0).consumer()).hasSize(64);

    for (String bad : new String[] {"Nudge", "1nudge", "nudge-now", "nudge.now", "", longest + "x"}) {
      assertThatThrownBy(() -> base().reminder(bad).in(REQUESTED).to(Role.GIGSTA).at(ONE_DAY).note("Please answer")
          .add().build())
          .as("'%s'", bad).isInstanceOf(InvalidWorkflowException.class)
          .hasMessage("workflow 'timed' is invalid: reminder " + bad + " in REQUESTED: its name must be a-z, digits "
              + "and '_', starting with a letter, at most 55 characters");
    }
  }

  @Test
  void shouldRefuseAReminderOfAStateTheWorkflowDoesNotHave() {
    assertThatThrownBy(() -> base().reminder("nudge").in(DISPUTED).to(Role.GIGSTA).at(ONE_DAY).note("Please answer")
        .add().build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: reminder nudge in DISPUTED: DISPUTED is not a state of the workflow");
  }

  @Test
  void shouldRefuseAReminderToTheSystem() {
    assertThatThrownBy(() -> base().reminder("nudge").in(REQUESTED).to(Role.SYSTEM).at(ONE_DAY).note("Please answer")
        .add().build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: reminder nudge in REQUESTED: reminders go to people, not to SYSTEM");
  }

  @Test
  void shouldRefuseTwoRemindersOfOneNameEvenInTwoStates() {
    String refusal = "workflow 'timed' is invalid: more than one reminder named nudge; its deliveries are recorded "
        + "under reminder.nudge, so the name must be unique in the workflow";
    assertThatThrownBy(() -> base()
        .reminder("nudge").in(REQUESTED).to(Role.GIGSTA).at(ONE_DAY).note("Please answer").add()
        .reminder("nudge").in(REQUESTED).to(Role.CUSTOMER).at(ONE_DAY).note("Still waiting").add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage(refusal);
    assertThatThrownBy(() -> base()
        .reminder("nudge").in(REQUESTED).to(Role.GIGSTA).at(ONE_DAY).note("Please answer").add()
        .reminder("nudge").in(ACCEPTED).to(Role.CUSTOMER).at(ONE_DAY).note("Coming up").add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage(refusal);
  }

  @Test
  void shouldRefuseADeadlineCountedOnlyFromAnOptionalScheduledStart() {
    String problem = " counts only from the scheduled start, which a booking may not have; combine it with "
        + "CREATED or STATE_ENTERED, or declare scheduledStartRequired(true)";

    assertThatThrownBy(() -> timeOut(base(), Role.SYSTEM, AFTER_START).build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: timed rule time_out from REQUESTED: 1d after SCHEDULED_START"
            + problem);
    Deadline onlyStarts = Deadline.latestOf(AFTER_START,
        Deadline.before(Duration.ofHours(1), Deadline.after(Duration.ofDays(2), Timepoint.SCHEDULED_START)));
    assertThatThrownBy(() -> base().reminder("nudge").in(REQUESTED).to(Role.GIGSTA).at(onlyStarts)
        .note("Please answer").add().build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: reminder nudge in REQUESTED: " + onlyStarts + problem);
    assertThat(timeOut(base(), Role.SYSTEM, Deadline.earliestOf(AFTER_START, ONE_DAY)).build().timedRules())
        .hasSize(1);
    assertThat(timeOut(base(), Role.SYSTEM, AFTER_START).scheduledStartRequired(true).build()
        .scheduledStartRequired()).isTrue();
  }

  @Test
  void shouldRefuseARequestWithoutAScheduledStartWhereTheWorkflowRequiresOne() {
    BookingEngine engine = BookingEngine.builder()
        .withWorkflow(timeOut(base(), Role.SYSTEM, AFTER_START).scheduledStartRequired(true).build()).build();

    assertThatThrownBy(() -> engine.requestBooking("b-1", Actor.customer("c-1"), "g-1", null))
        .isInstanceOfSatisfying(InvalidBookingInputException.class,
            e -> assertThat(e.field()).isEqualTo("scheduledStart"))
        .hasMessage("workflow 'timed' requires every booking to have a scheduled start");
    assertThat(engine.auditTrail().history("b-1")).isEmpty();
  }

  @Test
  void shouldListEveryProblemOfTimedRulesAndRemindersAtOnce() {
    assertThatThrownBy(() -> timeOut(base(), Role.CUSTOMER, AFTER_START)
        .reminder("Nudge").in(DISPUTED).to(Role.SYSTEM).at(Deadline.after(Duration.ZERO, Timepoint.CREATED))
            .note("Please answer").add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining("must be by SYSTEM, not CUSTOMER")
        .hasMessageContaining("time_out from REQUESTED: 1d after SCHEDULED_START counts only from the scheduled start")
        .hasMessageContaining("reminder Nudge in DISPUTED: its name must be")
        .hasMessageContaining("DISPUTED is not a state of the workflow")
        .hasMessageContaining("reminders go to people, not to SYSTEM")
        .hasMessageContaining("durations must be positive but PT0S after CREATED has PT0S");
  }

  @Test
  void shouldRefuseAnIncompleteReminderAndCollectABadNoteWithTheRest() {
    assertThatThrownBy(() -> base().reminder("nudge").in(REQUESTED).to(Role.GIGSTA).note("Please answer").add())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed': reminder nudge needs in(state), to(role), at(deadline) and note(text)");
    assertThatThrownBy(() -> base().reminder("nudge").in(REQUESTED).to(Role.GIGSTA).at(ONE_DAY).note("  ").add()
        .build())
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessage("workflow 'timed' is invalid: reminder nudge: reminder note must not be blank");
  }

  @Test
  void shouldTreatMissingPartsAsProgrammerErrors() {
    assertThatThrownBy(() -> base().reminder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("reminder name is required but was null");
    assertThatThrownBy(() -> base().action("time_out").after(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deadline is required but was null");
    assertThatThrownBy(() -> base().reminder("nudge").at(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("deadline is required but was null");
    assertThatThrownBy(() -> base().reminder("nudge").to(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("recipient is required but was null");
  }
}
