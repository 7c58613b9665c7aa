package com.gigsta.booking.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema script from the class path, split into statements and renamed for a configured table.
 * Immutable.
 *
 * <p>The scripts are written for the default table name so migration tools can run them as they are;
 * here every name made from it (the table, its constraints and its index) is rewritten for the
 * configured table.
 */
public final class SchemaScript {

  private static final Pattern DEFAULT_NAMES = Pattern.compile("\\b" + AuditTable.DEFAULT_NAME + "(_[a-z0-9_]+)?\\b");

  private SchemaScript() {}

  /**
   * Returns the statements of the dialect's first script for the named table, comments removed.
   *
   * @param dialect the database
   * @param tableName the table's name, optionally qualified by a schema
   * @return the statements in order, without their semicolons
   */
  public static List<String> statements(Dialect dialect, String tableName) {
    String script = load(dialect.schemaScript());
    String simpleName = tableName.substring(tableName.indexOf('.') + 1);
    StringBuilder body = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    Matcher names = DEFAULT_NAMES.matcher(body);
    StringBuilder renamed = new StringBuilder();
    while (names.find()) {
      String replacement = names.group(1) == null ? tableName : simpleName + names.group(1);
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
