package com.gigsta.booking.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that hands out real connections but lets a test step in at moments of an append: just
 * before the INSERT is prepared, just after it ran, and around the commit. Only the first connection that
 * reaches a hook runs it; later connections (such as a re-check) pass straight through. It also counts
 * the SELECTs prepared and the changes of auto-commit, and can hand connections out without auto-commit,
 * as some pools are configured to.
 */
final class HookedDataSource extends ForwardingDataSource {

  /** What a hook does with the connection it stepped in on. */
  @FunctionalInterface
  interface Hook {
    void run(Connection connection) throws SQLException;
  }

  private volatile Hook beforeInsert;
  private volatile Hook beforeCommit;
  private volatile boolean failAfterCommit;
  private volatile boolean failAfterInsert;
  private volatile boolean withoutAutoCommit;
  private final AtomicInteger selects = new AtomicInteger();
  private final AtomicInteger autoCommitChanges = new AtomicInteger();

  HookedDataSource(DataSource delegate) {
    super(delegate);
  }

  /**
   * Runs once, on the appending connection, after the latest row was read and before the INSERT; the
   * INSERT of a payment hold, which comes before the append on a connection of its own, passes.
   */
  HookedDataSource beforeInsert(Hook hook) {
    this.beforeInsert = hook;
    return this;
  }

  /** Runs once, on the appending connection, just before it commits. */
  HookedDataSource beforeCommit(Hook hook) {
    this.beforeCommit = hook;
    return this;
  }

  /** Makes the next commit report a lost connection after the database has committed. */
  HookedDataSource failAfterCommit() {
    this.failAfterCommit = true;
    return this;
  }

  /** Makes the next INSERT report a lost connection after the database has run and committed it. */
  HookedDataSource failAfterInsert() {
    this.failAfterInsert = true;
    return this;
  }

  /** Hands out every connection from now on with auto-commit turned off. */
  HookedDataSource withoutAutoCommit() {
    this.withoutAutoCommit = true;
    return this;
  }

  /** Returns how many SELECT statements were prepared through this data source's connections. */
  int selects() {
    return selects.get();
  }

  /** Returns how many times auto-commit was set on this data source's connections, other than by itself. */
  int autoCommitChanges() {
    return autoCommitChanges.get();
  }

  @Override
  protected Connection handOut(Connection connection) throws SQLException {
    if (withoutAutoCommit) {
      connection.setAutoCommit(false);
    }
    return wrap(connection);
  }

  private Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          boolean insert = name.equals("prepareStatement") && args != null && args[0] instanceof String sql
              && sql.startsWith("INSERT") && !sql.contains("_hold (");
          if (insert) {
            Hook hook = beforeInsert;
            beforeInsert = null;
            if (hook != null) {
              hook.run(connection);
            }
          }
          if (name.equals("prepareStatement") && args != null && args[0] instanceof String sql
              && sql.startsWith("SELECT")) {
            selects.incrementAndGet();
          }
          if (name.equals("setAutoCommit")) {
            autoCommitChanges.incrementAndGet();
          }
          if (name.equals("commit")) {
            Hook hook = beforeCommit;
            beforeCommit = null;
            if (hook != null) {
              hook.run(connection);
            }
          }
          Object result;
          try {
            result = method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (name.equals("commit") && failAfterCommit) {
            failAfterCommit = false;
            throw new SQLException("I/O error: connection reset (after the server committed)", "08006");
          }
          return insert ? failingAfterUpdate((PreparedStatement) result) : result;
        });
  }

  private PreparedStatement failingAfterUpdate(PreparedStatement statement) {
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(statement, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("executeUpdate") && failAfterInsert) {
            failAfterInsert = false;
            throw new SQLException("I/O error: connection reset (after the server ran the insert)", "08006");
          }
          return result;
        });
  }
}
