package com.gigsta.booking.examples.service;

import com.gigsta.booking.Money;
import com.gigsta.booking.Role;
import java.util.List;
import java.util.Optional;

/**
 * The people who can sign in to the demo, all with the password {@value #PASSWORD}. Immutable and
 * thread-safe.
 */
public final class DemoUsers {

  /** The password of every demo user. */
  public static final String PASSWORD = "demo";

  /**
   * A person who can sign in: the username is also the id the booking engine knows them by.
   *
   * @param listPrice what a booking of this GigSta costs when the request names no price; {@code null}
   *     for everyone but GigStas
   */
  public record DemoUser(String username, String displayName, Role role, String about, Money listPrice) {}

  private static final List<DemoUser> USERS = List.of(
      new DemoUser("alice", "Alice Lind", Role.CUSTOMER, "customer", null),
      new DemoUser("bob", "Bob Okafor", Role.CUSTOMER, "customer", null),
      new DemoUser("dora", "Dora Marsh", Role.CUSTOMER, "customer whose card is always declined", null),
      new DemoUser("gina", "Gina Patel", Role.GIGSTA, "plumber", Money.of(8_000, "EUR")),
      new DemoUser("gus", "Gus Moreno", Role.GIGSTA, "electrician", Money.of(12_000, "EUR")),
      new DemoUser("olga", "Olga Berg", Role.OPERATOR, "platform operator", null));

  private DemoUsers() {}

  /** Returns every demo user. */
  public static List<DemoUser> all() {
    return USERS;
  }

  /** Returns the demo users with the given role. */
  public static List<DemoUser> withRole(Role role) {
    return USERS.stream().filter(user -> user.role() == role).toList();
  }

  /** Returns the demo user with this username. */
  public static Optional<DemoUser> find(String username) {
    return USERS.stream().filter(user -> user.username().equals(username)).findFirst();
  }

  /** Returns the name to show for an id, falling back to the id itself. */
  public static String displayName(String username) {
    return find(username).map(DemoUser::displayName).orElse(username);
  }

  /** Returns the first name, for sentences such as "Gina already cancelled this booking"; else the id. */
  public static String firstName(String username) {
    return find(username).map(user -> user.displayName().split(" ", 2)[0]).orElse(username);
  }
}
