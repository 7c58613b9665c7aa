package com.gigsta.booking.examples.service;

import com.gigsta.booking.Actor;
import com.gigsta.booking.Role;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Turns the authenticated user into the engine's {@link Actor}: the id is the username and the role comes
 * from the user's single {@code ROLE_*} authority. Requests never name the actor themselves.
 */
public final class CurrentActor {

  private static final String PREFIX = "ROLE_";

  private CurrentActor() {}

  /** Returns the authority that grants a role, e.g. {@code ROLE_GIGSTA}. */
  public static String authorityOf(Role role) {
    return PREFIX + role.name();
  }

  /**
   * Returns the actor the authenticated user acts as.
   *
   * @throws IllegalStateException if the user has no booking role, which the demo users always have
   */
  public static Actor of(Authentication authentication) {
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      String name = authority.getAuthority();
      if (name != null && name.startsWith(PREFIX)) {
        Role role = Role.valueOf(name.substring(PREFIX.length()).toUpperCase(Locale.ROOT));
        if (role != Role.SYSTEM) {
          return new Actor(role, authentication.getName());
        }
      }
    }
    throw new IllegalStateException("user '" + authentication.getName() + "' has no booking role");
  }
}
