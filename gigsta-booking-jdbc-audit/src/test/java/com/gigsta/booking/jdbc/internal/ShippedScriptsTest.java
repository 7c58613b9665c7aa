package com.gigsta.booking.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schema scripts as they were shipped: a database migrated with them (by Flyway, Liquibase or the
 * trail's {@code withCreateTableIfMissing}) must find the same bytes in every later release, so a shipped
 * script is never edited and a schema change is a new versioned script. Each script's SHA-256 is pinned
 * here; the values are those of the scripts first shipped under {@code db/migration/gigsta-booking/} and
 * moved, byte for byte, to {@link Dialect#SCRIPT_ROOT}.
 */
class ShippedScriptsTest {

  private static final Map<String, String> SHIPPED = Map.ofEntries(
      Map.entry("db/gigsta-booking/h2/V1__gigsta_booking_audit.sql",
          "cb01bf043d0883b3f91da6877cac4921069ee692747ee253d81407e9129a281b"),
      Map.entry("db/gigsta-booking/h2/V2__gigsta_booking_feed.sql",
          "a20a6371866ca3e6c02005241be88b038172646464e0cb82840643c194007d00"),
      Map.entry("db/gigsta-booking/h2/V3__gigsta_booking_timers.sql",
          "7a683c1c9ee9cf92c3ecc55d7925e0632e660e20e714bf2b17f0c664beb23a30"),
      Map.entry("db/gigsta-booking/h2/V4__gigsta_booking_money.sql",
          "1e5eb1190a309169c3ec093600e12a20acddac51e5d3b24af468e7f89195786b"),
      Map.entry("db/gigsta-booking/h2/V5__gigsta_booking_workflow_versions.sql",
          "60d20637239df2f354a2cc4723cd64fee9d56166e2e2f53a30fd4b76b776190a"),
      Map.entry("db/gigsta-booking/mariadb/V1__gigsta_booking_audit.sql",
          "ebe657fb50ba6ca6466e4bab8b3aeb03dd25377fdd9f471c55a2c1753d1e498e"),
      Map.entry("db/gigsta-booking/mariadb/V2__gigsta_booking_feed.sql",
          "d57b6215829fa7ce081564ebeba3073f71dd3981380a7c63a0ed69029faf4e87"),
      Map.entry("db/gigsta-booking/mariadb/V3__gigsta_booking_timers.sql",
          "4e379aae122d70c2ee5708b007d3a7f76cdb3995b5f9b54cce642b2d0f05a527"),
      Map.entry("db/gigsta-booking/mariadb/V4__gigsta_booking_money.sql",
          "f8950082422eb03860073eb83f173292afec19f8cf156a36ca65d42ed5d25264"),
      Map.entry("db/gigsta-booking/mariadb/V5__gigsta_booking_workflow_versions.sql",
          "98bf022ad162c153285b946a6871d703e8f7ecb04af3cfe462a86b02ce8ffec1"),
      Map.entry("db/gigsta-booking/postgresql/V1__gigsta_booking_audit.sql",
          "4c8f65bc6b35103926da93331cd8c5c8da9d24c7922b1f862277e4a145d32ab2"),
      Map.entry("db/gigsta-booking/postgresql/V2__gigsta_booking_feed.sql",
          "1add469d13fe78a7017ee899c9dfa186143d8564207edd72f22ce9b79b74fc7b"),
      Map.entry("db/gigsta-booking/postgresql/V3__gigsta_booking_timers.sql",
          "a043c21377fc07ec1b64ecf24bcd2f3125dbe8ed4558f84696ff20d74d424ce3"),
      Map.entry("db/gigsta-booking/postgresql/V4__gigsta_booking_money.sql",
          "33b0acff6aadf5112054c44d2dea157776684f454fac2c5bbae2aa2c41e17a4a"),
      Map.entry("db/gigsta-booking/postgresql/V5__gigsta_booking_workflow_versions.sql",
          "d755a4d6438f4de39258bf40dce2b4113f3fa868fcda0d635ef010db5ae5f6c8"));

  @Test
  void shouldShipEveryScriptExactlyAsFirstShipped() throws IOException, NoSuchAlgorithmException {
    for (Map.Entry<String, String> script : SHIPPED.entrySet()) {
      try (InputStream in = Dialect.class.getClassLoader().getResourceAsStream(script.getKey())) {
        assertThat(in).as("shipped script %s", script.getKey()).isNotNull();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        assertThat(sha256).as("SHA-256 of %s", script.getKey()).isEqualTo(script.getValue());
      }
    }
  }

  @Test
  void shouldFindEveryScriptWhereTheTrailLooksForIt() {
    for (Dialect dialect : Dialect.values()) {
      for (String name : new String[] {Dialect.SCRIPT_V1, Dialect.SCRIPT_V2, Dialect.SCRIPT_V3, Dialect.SCRIPT_V4,
          Dialect.SCRIPT_V5}) {
        assertThat(SHIPPED).as("%s's %s", dialect, name).containsKey(dialect.schemaScript(name));
      }
    }
  }
}
