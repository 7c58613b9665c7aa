package com.gigsta.booking.jdbc.crash;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import com.gigsta.booking.jdbc.ForwardingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The trail's data source in a crash child: real connections whose {@code commit()} passes the kill
 * points {@link KillSwitch.Point#BEFORE_COMMIT} (every statement of the trail's transaction has run,
 * nothing is committed) and {@link KillSwitch.Point#AFTER_COMMIT} (committed, the trail has not gone on).
 * The trail commits its own transactions there: an append's audit and change rows, a sequencer batch, a
 * claim's leases, a consumer's registration.
 */
final class CommitPoints extends ForwardingDataSource {

  private final KillSwitch killSwitch;

  CommitPoints(DataSource delegate, KillSwitch killSwitch) {
    super(delegate);
    this.killSwitch = killSwitch;
  }

  @Override
  protected Connection handOut(Connection connection) {
    // The last statement the trail prepared on this connection tells which transaction commits.
    String[] last = {""};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
            last[0] = sql;
          }
          boolean commit = method.getName().equals("commit") && (args == null || args.length == 0);
          if (commit) {
            killSwitch.reach(KillSwitch.Point.BEFORE_COMMIT, transaction(last[0]));
          }
          Object result;
          try {
            result = method.invoke(connection, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (commit) {
            killSwitch.reach(KillSwitch.Point.AFTER_COMMIT, transaction(last[0]));
          }
          return result;
        });
  }

  /** Names the trail's transaction by its last statement: append, sequence, claim or register. */
  static String transaction(String lastSql) {
    String sql = lastSql.strip();
    if (sql.contains("_feed_head")) {
      return "sequence";
    }
    if (sql.contains("_delivery")) {
      return "claim";
    }
    if (sql.startsWith("INSERT") && sql.contains("_change")) {
      return "append";
    }
    if (sql.contains("_consumer")) {
      return "register";
    }
    return "other:" + sql.substring(0, Math.min(40, sql.length())).replace(' ', '_');
  }
}
