package com.gigsta.booking.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out the pool's real connections and, before a query whose SQL the filter picks
 * runs, asks the database for its plan: {@code EXPLAIN} and the same SQL with the same parameters, on the
 * same connection. The plans are kept, one line per row the database returned, its columns joined by
 * {@code " | "}. For printing the plans the trail's own queries get on the loaded tables; never measured.
 * Thread-safe.
 */
final class ExplainingDataSource implements DataSource {

  private final DataSource delegate;
  private final Predicate<String> explained;
  private final List<String> plans = new ArrayList<>();

  ExplainingDataSource(DataSource delegate, Predicate<String> explained) {
    this.delegate = delegate;
    this.explained = explained;
  }

  /** Returns the plans of the queries explained since the last call, and forgets them. */
  synchronized List<String> takePlans() {
    List<String> taken = List.copyOf(plans);
    plans.clear();
    return taken;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  private Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          Object result = invoke(method, connection, args);
          if (method.getName().equals("prepareStatement") && args != null && args.length == 1
              && args[0] instanceof String sql && explained.test(sql)) {
            return explaining(connection, sql, (PreparedStatement) result);
          }
          return result;
        });
  }

  // Records the parameters as they are bound, and replays them on EXPLAIN before the query runs.
  private PreparedStatement explaining(Connection connection, String sql, PreparedStatement statement) {
    List<Method> setters = new ArrayList<>();
    List<Object[]> bindings = new ArrayList<>();
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          if (method.getName().startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer) {
            setters.add(method);
            bindings.add(args);
          }
          if (method.getName().equals("executeQuery") && (args == null || args.length == 0)) {
            explain(connection, sql, setters, bindings);
          }
          return invoke(method, statement, args);
        });
  }

  private void explain(Connection connection, String sql, List<Method> setters, List<Object[]> bindings)
      throws Exception {
    try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < setters.size(); i++) {
        setters.get(i).invoke(explain, bindings.get(i));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = explain.executeQuery()) {
        ResultSetMetaData columns = rows.getMetaData();
        while (rows.next()) {
          List<String> values = new ArrayList<>();
          for (int c = 1; c <= columns.getColumnCount(); c++) {
            values.add(columns.getColumnCount() == 1 ? rows.getString(c)
                : columns.getColumnLabel(c) + "=" + rows.getString(c));
          }
          plan.append(String.join(" | ", values)).append('\n');
        }
      }
      synchronized (this) {
        plans.add(plan.toString());
      }
    }
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return delegate.isWrapperFor(type);
  }
}
