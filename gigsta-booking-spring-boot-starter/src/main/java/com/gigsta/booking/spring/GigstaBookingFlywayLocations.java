package com.gigsta.booking.spring;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;

/**
 * Adds {@code classpath:db/gigsta-booking/<database>} to the locations the application's Flyway migrates,
 * next to its own: {@code h2}, {@code postgresql} or {@code mariadb} (also for MySQL), as the data source
 * Flyway migrates reports its product. The scripts are versions 1 to 5 in the application's Flyway
 * history. Stateless and thread-safe.
 */
public final class GigstaBookingFlywayLocations implements FlywayConfigurationCustomizer {

  /** The folder of the scripts inside the jdbc-audit jar; the database's folder is below it. */
  public static final String SCRIPT_ROOT = "classpath:db/gigsta-booking/";

  /** Creates the customizer. */
  public GigstaBookingFlywayLocations() {}

  /**
   * Appends the database's folder to the configuration's locations, unless it is there already.
   *
   * @param configuration Flyway's configuration, with its data source set
   * @throws IllegalStateException if the database is none of H2, PostgreSQL, MariaDB and MySQL, or does
   *     not answer
   */
  @Override
  public void customize(FluentConfiguration configuration) {
    Location ours = new Location(SCRIPT_ROOT + folder(configuration.getDataSource()));
    Location[] locations = configuration.getLocations();
    if (Arrays.stream(locations).anyMatch(location -> location.getDescriptor().equals(ours.getDescriptor()))) {
      return;
    }
    Location[] all = Arrays.copyOf(locations, locations.length + 1);
    all[locations.length] = ours;
    configuration.locations(all);
  }

  /**
   * Returns the folder of the database's scripts.
   *
   * @param dataSource the database
   * @return {@code h2}, {@code postgresql} or {@code mariadb}
   * @throws IllegalStateException if the database is none of H2, PostgreSQL, MariaDB and MySQL, or does
   *     not answer
   */
  static String folder(DataSource dataSource) {
    String product;
    try (Connection connection = dataSource.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw new IllegalStateException("could not ask the database its product to choose gigsta-booking's "
          + "schema scripts", e);
    }
    return switch (product.toLowerCase(Locale.ROOT)) {
      case "h2" -> "h2";
      case "postgresql" -> "postgresql";
      case "mariadb", "mysql" -> "mariadb";
      default -> throw new IllegalStateException("gigsta-booking has schema scripts for H2, PostgreSQL, MariaDB "
          + "and MySQL, not for " + product + "; set gigsta.booking.flyway.enabled=false");
    };
  }
}
