package com.gigsta.booking.jdbc.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that every process of a timer run shares: it reads the instant from a file on each call, and
 * only the parent moves it, forward, by replacing the file atomically.
 */
final class FileClock extends Clock {

  private final Path file;

  FileClock(Path file) {
    this.file = file;
  }

  /** Sets the shared time; readers see the old or the new instant, never a partial write. */
  static void set(Path file, Instant now) {
    try {
      Files.createDirectories(file.getParent());
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.writeString(next, now.toString(), StandardCharsets.UTF_8);
      Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Instant instant() {
    try {
      return Instant.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the shared clock is UTC");
  }
}
