package com.gigsta.booking.jdbc.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Hands out the real connections of a data source and notes, per thread, when a {@code commit()} threw:
 * the moment whose answer a failover can lose, after which only a look at the new primary tells whether
 * the transaction landed. Thread-safe.
 */
final class PostgresCommitWatch {

  private final DataSource watched;
  private final ThreadLocal<SQLException> failedCommit = new ThreadLocal<>();

  PostgresCommitWatch(DataSource dataSource) {
    this.watched = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(dataSource, method, args);
          return method.getName().equals("getConnection") ? watch((Connection) result) : result;
        });
  }

  /** Returns the data source to build the trail on. */
  DataSource dataSource() {
    return watched;
  }

  /** Forgets a failed commit of this thread, before an engine call. */
  void reset() {
    failedCommit.remove();
  }

  /** Returns the commit failure of this thread since {@link #reset()}, or null. */
  SQLException failedCommit() {
    return failedCommit.get();
  }

  private Connection watch(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("commit")) {
            return invoke(connection, method, args);
          }
          try {
            return invoke(connection, method, args);
          } catch (SQLException e) {
            failedCommit.set(e);
            throw e;
          }
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
