package com.gigsta.booking.examples.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gigsta.booking.Role;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;

/**
 * Who may sign in and how: form login and a session for the page, HTTP basic or that session for the JSON
 * API. The role a user acts in comes from their authority, see {@link CurrentActor}.
 */
@Configuration
public class SecurityConfig {

  private final ObjectMapper objectMapper;

  SecurityConfig(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService demoUsers(PasswordEncoder encoder) {
    String encoded = encoder.encode(DemoUsers.PASSWORD);
    UserDetails[] users = DemoUsers.all().stream()
        .map(user -> User.withUsername(user.username()).password(encoded)
            .authorities(CurrentActor.authorityOf(user.role())).build())
        .toArray(UserDetails[]::new);
    return new InMemoryUserDetailsManager(users);
  }

  @Bean
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    AntPathRequestMatcher api = new AntPathRequestMatcher("/api/**");
    AuthenticationEntryPoint signInFirst = (request, response, e) -> writeProblem(response,
        HttpStatus.UNAUTHORIZED, "sign in first, with HTTP basic or on the login page", request.getRequestURI());
    http
        .authorizeHttpRequests(auth -> auth
            .requestMatchers("/app.css", "/favicon.ico", "/error").permitAll()
            .requestMatchers("/api/operator/**").hasAuthority(CurrentActor.authorityOf(Role.OPERATOR))
            .anyRequest().authenticated())
        .formLogin(form -> form.defaultSuccessUrl("/", true))
        // HTTP basic is accepted, but never asked for with a WWW-Authenticate challenge, so a browser never
        // prompts for and caches basic credentials that it would then attach to cross-site requests.
        .httpBasic(basic -> basic.authenticationEntryPoint(signInFirst))
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        // The page sends the session's CSRF token (from /api/me) with every change. Requests that carry
        // their own Authorization header cannot be forged by another site (see above), so need none.
        .csrf(csrf -> csrf.ignoringRequestMatchers(request -> request.getHeader("Authorization") != null))
        // API clients get problem documents, not the login page's redirect or an HTML error page.
        .exceptionHandling(errors -> errors
            .defaultAuthenticationEntryPointFor(signInFirst, api)
            .defaultAccessDeniedHandlerFor((request, response, e) -> writeProblem(response,
                HttpStatus.FORBIDDEN, "only operators may use this endpoint", request.getRequestURI()), api));
    return http.build();
  }

  private void writeProblem(HttpServletResponse response, HttpStatus status, String detail, String path)
      throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setInstance(URI.create(path));
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    objectMapper.writeValue(response.getOutputStream(), problem);
  }
}
