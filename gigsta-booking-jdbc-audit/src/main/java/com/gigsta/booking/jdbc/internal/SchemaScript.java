package com.gigsta.booking.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema script from the class path, split into statements and renamed for a configured table.
 * Immutable.
 *
 * <p>The scripts are written for the default table name so migration tools can run them as they are;
 * here every name made from it is rewritten for the configured table: the audit table, the feed's
 * tables ({@code _change}, {@code _feed_head}, {@code _consumer}, {@code _delivery}, {@code _hold}) and the
 * timers' table ({@code _timer_sweep}) keep the configured schema, while constraint and index names, which
 * no database lets a schema qualify, get the table's name alone. The fourth script only alters tables
 * the earlier ones created (the audit table and {@code _hold}) and adds an index; the fifth only adds
 * columns to the audit table, and on some databases a check.
 */
public final class SchemaScript {

  private static final Pattern DEFAULT_NAMES = Pattern.compile("\\b" + AuditTable.DEFAULT_NAME + "(_[a-z0-9_]+)?\\b");
  private static final Set<String> TABLE_SUFFIXES = Set.of(ChangeTable.SUFFIX, FeedHead.SUFFIX, ConsumerTable.SUFFIX,
      DeliveryTable.SUFFIX, HoldTable.SUFFIX, TimerSweepTable.SUFFIX);
  private static final Pattern TARGET = Pattern.compile(
      "^(?:CREATE\\s+TABLE|ALTER\\s+TABLE|CREATE\\s+INDEX\\s+\\S+\\s+ON|INSERT\\s+INTO)\\s+([a-z0-9_.]+)");

  private SchemaScript() {}

  /**
   * Returns the statements of the dialect's first script (the audit table) for the named table, comments
   * removed.
   *
   * @param dialect the database
   * @param tableName the table's name, optionally qualified by a schema
   * @return the statements in order, without their semicolons
   */
  public static List<String> statements(Dialect dialect, String tableName) {
    return statements(dialect, Dialect.SCRIPT_V1, tableName);
  }

  /**
   * Returns the statements of one of the dialect's scripts for the named audit table, comments removed.
   *
   * @param dialect the database
   * @param script the script's file name, {@link Dialect#SCRIPT_V1} to {@link Dialect#SCRIPT_V5}
   * @param tableName the audit table's name, optionally qualified by a schema
   * @return the statements in order, without their semicolons
   */
  public static List<String> statements(Dialect dialect, String script, String tableName) {
    String text = load(dialect.schemaScript(script));
    String simpleName = tableName.substring(tableName.indexOf('.') + 1);
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    Matcher names = DEFAULT_NAMES.matcher(body);
    StringBuilder renamed = new StringBuilder();
    while (names.find()) {
      String suffix = names.group(1);
      String replacement = suffix == null ? tableName
          : TABLE_SUFFIXES.contains(suffix) ? tableName + suffix : simpleName + suffix;
      names.appendReplacement(renamed, Matcher.quoteReplacement(replacement));
    }
    names.appendTail(renamed);
    List<String> statements = new ArrayList<>();
    for (String statement : renamed.toString().split(";")) {
      if (!statement.isBlank()) {
        statements.add(statement.strip());
      }
    }
    return statements;
  }

  /**
   * Returns the table a statement of a script creates, alters, indexes or fills.
   *
   * @param statement one of the statements returned by {@link #statements(Dialect, String, String)}
   * @return the table's name as the statement names it
   * @throws IllegalArgumentException if the statement is none of CREATE TABLE, ALTER TABLE, CREATE INDEX,
   *     INSERT INTO
   */
  public static String target(String statement) {
    Matcher target = TARGET.matcher(statement);
    if (!target.find()) {
      throw new IllegalArgumentException("not a statement on one table: " + statement);
    }
    return target.group(1);
  }

  private static String load(String resource) {
    try (InputStream in = SchemaScript.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("schema script " + resource + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema script " + resource, e);
    }
  }
}
