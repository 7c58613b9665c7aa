package com.gigsta.booking.jdbc.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.gigsta.booking.Actor;
import com.gigsta.booking.AuditEntry;
import com.gigsta.booking.Booking;
import com.gigsta.booking.BookingChangedConcurrentlyException;
import com.gigsta.booking.BookingEngine;
import com.gigsta.booking.GigstaWorkflow;
import com.gigsta.booking.jdbc.CountingPayments;
import com.gigsta.booking.jdbc.DatabaseExtension;
import com.gigsta.booking.jdbc.JdbcAuditTrail;
import com.gigsta.booking.PaymentMoment;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two writers of the same booking on different nodes of the Galera cluster, the loser's later look-ups
 * answered by a third node held back so that it has not applied the winner's commit yet: what a pool
 * behind a load balancer, or a node that is slow to apply, shows the loser. The loser must learn that it
 * lost, and must not release the payment the winner secured with the same key.
 */
class GaleraLaggingNodeTest {

  private GaleraCluster cluster;
  private String table;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = GaleraCluster.require();
    table = "galera_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (cluster != null) {
      List<String> tables = new ArrayList<>(DatabaseExtension.feedTables(table));
      tables.add(table);
      cluster.drop(tables);
    }
  }

  private HikariDataSource pool(int node, boolean autoCommit) {
    HikariDataSource pool = cluster.pool(cluster.url(node), 4, autoCommit);
    closeables.add(pool);
    return pool;
  }

  /**
   * The loser's commit is refused (the winner's write set, applied on the loser's node, aborts it, or
   * certification refuses it): nothing of the loser's was committed, so it is a concurrent change, told
   * without asking a node whether the row landed.
   */
  @ParameterizedTest(name = "pool auto-commit {0}")
  @ValueSource(booleans = {true, false})
  void shouldReportARefusedCommitAsAConcurrentChangeWhenTheNodeAskedHasNotAppliedTheWinner(boolean autoCommit)
      throws Exception {
    HikariDataSource node1 = pool(1, autoCommit);
    HikariDataSource node3 = pool(3, autoCommit);
    RoutingDataSource loserSource = new RoutingDataSource(pool(2, autoCommit));
    JdbcAuditTrail winnerTrail = JdbcAuditTrail.builder(node1).withTableName(table).withCreateTableIfMissing(true)
        .build();
    JdbcAuditTrail loserTrail = JdbcAuditTrail.builder(loserSource).withTableName(table).build();
    BookingEngine winner = BookingEngine.builder().withAuditTrail(winnerTrail).build();
    BookingEngine loser = BookingEngine.builder().withAuditTrail(loserTrail).build();
    Booking requested = winner.requestBooking("b-1", Actor.customer("c-1"), "g-1", null).booking();
    Booking winnerSnapshot = winner.load(requested.id());
    Booking loserSnapshot = loser.load(requested.id());

    loserSource.beforeCommit(() -> {
      closeables.add(cluster.holdBack(3));
      winner.perform(winnerSnapshot, Actor.gigsta("g-1"), GigstaWorkflow.ACCEPT_BOOKING);
      loserSource.routeTo(node3);
    });
    Throwable thrown = catchThrowable(() -> loser.perform(loserSnapshot, Actor.customer("c-1"),
        GigstaWorkflow.CANCEL_BOOKING));
    closeables.remove(closeables.size() - 1).close();

    assertThat(thrown).isInstanceOf(BookingChangedConcurrentlyException.class);
    List<AuditEntry> history = winnerTrail.history(requested.id());
    assertThat(history).extracting(AuditEntry::actionName)
        .containsExactly(GigstaWorkflow.REQUEST_BOOKING, GigstaWorkflow.ACCEPT_BOOKING);
    assertThat(winnerTrail.verify(requested.id()).intact()).isTrue();
  }

  /**
   * A double-submitted acceptance: both halves secure the payment with the same key, the winner records
   * the change, the loser's append fails, and the engine asks the trail whether the same change was
   * recorded before it releases what it secured. Asked on a node that has not applied the winner's commit,
   * the answer must still be yes, or the winner's payment is released.
   */
  @Test
  void shouldKeepTheWinnersPaymentWhenTheLosingHalfOfADoubleSubmitLooksOnANodeBehind() throws Exception {
    HikariDataSource node1 = pool(1, false);
    HikariDataSource node3 = pool(3, false);
    RoutingDataSource loserSource = new RoutingDataSource(pool(2, false));
    CountingPayments payments = new CountingPayments();
    JdbcAuditTrail winnerTrail = JdbcAuditTrail.builder(node1).withTableName(table).withCreateTableIfMissing(true)
        .build();
    JdbcAuditTrail loserTrail = JdbcAuditTrail.builder(loserSource).withTableName(table).build();
    BookingEngine winner = BookingEngine.builder().withAuditTrail(winnerTrail).withPaymentHooks(payments.hooks())
        .build();
    BookingEngine loser = BookingEngine.builder().withAuditTrail(loserTrail).withPaymentHooks(payments.hooks())
        .build();
    Booking requested = winner.requestBooking("b-2", Actor.customer("c-2"), "g-2", null).booking();
    Booking winnerSnapshot = winner.load(requested.id());
    Booking loserSnapshot = loser.load(requested.id());

    // The loser has recorded its hold and secured; just before it inserts its row, the winner does it all.
    loserSource.beforeAuditInsert(() -> {
      waitForTheCluster(node1);
      GaleraCluster.HeldBack heldBack = cluster.holdBack(3);
      closeables.add(heldBack);
      winner.perform(winnerSnapshot, Actor.gigsta("g-2"), GigstaWorkflow.ACCEPT_BOOKING);
      loserSource.routeTo(node3);
      // Let go a moment later: a causal read on node 3 waits until then, a plain one answers at once.
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(1_000);
          heldBack.close();
        } catch (InterruptedException | SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      release.start();
    });
    Throwable thrown = catchThrowable(() -> loser.perform(loserSnapshot, Actor.gigsta("g-2"),
        GigstaWorkflow.ACCEPT_BOOKING));

    List<String> secured = keys(payments.calls(), PaymentMoment.SECURE);
    List<String> released = keys(payments.calls(), PaymentMoment.RELEASE);
    System.out.printf("galera double submit: secured %d times with keys %s, released %s%n", secured.size(),
        secured.stream().distinct().toList(), released);
    assertThat(thrown).isInstanceOf(BookingChangedConcurrentlyException.class);
    assertThat(secured).hasSize(2).containsOnly(secured.get(0));
    assertThat(released).as("payments released").isEmpty();
    assertThat(winnerTrail.history(requested.id())).extracting(AuditEntry::actionName)
        .containsExactly(GigstaWorkflow.REQUEST_BOOKING, GigstaWorkflow.ACCEPT_BOOKING);
  }

  private static List<String> keys(List<CountingPayments.Call> calls, PaymentMoment moment) {
    return calls.stream().filter(call -> call.moment() == moment).map(call -> call.request().idempotencyKey())
        .toList();
  }

  // Returns once the node has applied every write set certified so far, here the loser's hold.
  private static void waitForTheCluster(HikariDataSource node) throws SQLException {
    try (Connection connection = node.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeQuery("SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1").close();
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    }
  }
}
