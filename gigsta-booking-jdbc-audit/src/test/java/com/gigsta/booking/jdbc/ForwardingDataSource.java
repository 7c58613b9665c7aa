package com.gigsta.booking.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that hands out the delegate's connections after passing each through {@link #handOut};
 * everything else is the delegate's. The tests' data sources that watch or break connections extend it.
 */
public abstract class ForwardingDataSource implements DataSource {

  /** The data source whose connections are handed out. */
  protected final DataSource delegate;

  /**
   * Forwards to the delegate.
   *
   * @param delegate the real data source
   */
  protected ForwardingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /**
   * Returns the connection to hand out in place of one of the delegate's.
   *
   * @param connection a connection from the delegate
   * @return the connection handed out
   * @throws SQLException if preparing it fails
   */
  protected abstract Connection handOut(Connection connection) throws SQLException;

  @Override
  public Connection getConnection() throws SQLException {
    return handOut(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return handOut(delegate.getConnection(username, password));
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
