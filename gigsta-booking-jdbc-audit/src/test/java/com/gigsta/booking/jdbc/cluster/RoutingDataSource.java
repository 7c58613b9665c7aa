package com.gigsta.booking.jdbc.cluster;

import com.gigsta.booking.jdbc.ForwardingDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A data source that hands out connections to one node of the cluster until told to hand out another's,
 * as a pool behind a load balancer does, and lets a test step in once on the appending connection just
 * before its INSERT of the audit row or just before its commit.
 */
final class RoutingDataSource extends ForwardingDataSource {

  /** What a hook does. */
  @FunctionalInterface
  interface Hook {
    void run() throws Exception;
  }

  private volatile DataSource target;
  private volatile Hook beforeAuditInsert;
  private volatile Hook beforeCommit;

  RoutingDataSource(DataSource first) {
    super(first);
    this.target = first;
  }

  /** Hands out connections from the other data source from now on. */
  void routeTo(DataSource other) {
    this.target = other;
  }

  /** Runs once, before the next INSERT of an audit row is prepared. */
  void beforeAuditInsert(Hook hook) {
    this.beforeAuditInsert = hook;
  }

  /** Runs once, before the next commit. */
  void beforeCommit(Hook hook) {
    this.beforeCommit = hook;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return handOut(target.getConnection());
  }

  @Override
  protected Connection handOut(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("prepareStatement") && args != null && args[0] instanceof String sql
              && sql.startsWith("INSERT") && !sql.contains("_hold (") && !sql.contains("_change (")) {
            Hook hook = beforeAuditInsert;
            beforeAuditInsert = null;
            run(hook);
          }
          if (name.equals("commit")) {
            Hook hook = beforeCommit;
            beforeCommit = null;
            run(hook);
          }
          try {
            return method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static void run(Hook hook) throws Exception {
    if (hook != null) {
      hook.run();
    }
  }
}
