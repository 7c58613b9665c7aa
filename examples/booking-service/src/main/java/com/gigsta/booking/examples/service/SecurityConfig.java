package com.gigsta.booking.examples.service;

import com.gigsta.booking.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may sign in and how: form login and a session for the page, HTTP basic or that session for the JSON
 * API. The role a user acts in comes from their authority, see {@link CurrentActor}.
 *
 * <p>Two filter chains. An API request that carries HTTP basic credentials is authenticated by them alone,
 * statelessly: no session is read or created, and it needs no CSRF token, because the credentials are the
 * request's own. Every other request is the page's: the session signs it in, and every change needs the
 * session's CSRF token, whatever else the request carries (an {@code Authorization: Bearer} header does
 * not make a session's request any less forgeable).
 */
@Configuration
public class SecurityConfig {

  /** The realm of the HTTP basic challenge. */
  static final String REALM = "gigsta-booking";

  // The page uses its own origin for everything; nothing may frame it, and it asks for no device feature.
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";
  static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

  private static final RequestMatcher API = new AntPathRequestMatcher("/api/**");
  private static final RequestMatcher OPERATOR_API = new AntPathRequestMatcher("/api/operator/**");
  // Fetch metadata (Sec-Fetch-Site) values of requests that another site, or a sibling subdomain, made.
  private static final Set<String> OTHER_SITES = Set.of("cross-site", "same-site");

  private final ProblemWriter problems;
  private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

  SecurityConfig(ProblemWriter problems) {
    this.problems = problems;
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

  /** API requests with HTTP basic credentials: those credentials alone sign them in, and no session is kept. */
  @Bean
  @Order(1)
  SecurityFilterChain basicApi(HttpSecurity http) throws Exception {
    http
        .securityMatcher(request -> API.matches(request) && carriesBasicCredentials(request))
        .authorizeHttpRequests(SecurityConfig::rules)
        .httpBasic(basic -> basic.authenticationEntryPoint(this::signInFirst))
        // Stateless: neither reads the session (a session cookie next to the credentials signs nothing in)
        // nor creates one per call.
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // The request authenticates itself with credentials another site cannot attach, see refuseOtherSites.
        .csrf(AbstractHttpConfigurer::disable)
        .exceptionHandling(errors -> errors.authenticationEntryPoint(this::signInFirst).accessDeniedHandler(denied()))
        .headers(SecurityConfig::hardening)
        .addFilterBefore(refuseOtherSites(), BasicAuthenticationFilter.class);
    return http.build();
  }

  /** Everything else: the page and the API with the session from the login page. */
  @Bean
  @Order(2)
  SecurityFilterChain web(HttpSecurity http) throws Exception {
    http
        .authorizeHttpRequests(auth -> {
          // The sign-in page with every notice (?logout, ?expired, ?error), and what it needs.
          auth.requestMatchers("/login", "/app.css", "/favicon.ico", "/error").permitAll();
          rules(auth);
        })
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", true).permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        // Signing in always leads to the page, so no request is kept in the session to go back to later.
        .requestCache(cache -> cache.disable())
        // API clients get problem documents, not the login page's redirect or an HTML error page.
        .exceptionHandling(errors -> errors
            .defaultAuthenticationEntryPointFor(this::signInFirst, API)
            .accessDeniedHandler(denied()))
        .headers(SecurityConfig::hardening);
    return http.build();
  }

  /** Requests Spring Security's firewall refuses (a {@code ..} segment, {@code ;}, {@code %25}, ...). */
  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    // Without the request: its path is what the firewall found dangerous, and is not echoed back.
    return (request, response, e) -> problems.write(null, response, Problems.requestRejected(e.getMessage()));
  }

  private static void rules(
      AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth) {
    auth.requestMatchers(OPERATOR_API).hasAuthority(CurrentActor.authorityOf(Role.OPERATOR))
        .anyRequest().authenticated();
  }

  private static void hardening(HeadersConfigurer<HttpSecurity> headers) {
    headers
        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
        .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY));
  }

  private static boolean carriesBasicCredentials(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    // "Basic" alone counts too: the basic filter refuses it as empty credentials.
    return authorization != null && authorization.regionMatches(true, 0, "Basic", 0, 5)
        && (authorization.length() == 5 || authorization.charAt(5) == ' ');
  }

  /**
   * Whether a browser sent the request: the page's own calls say so, and browsers send fetch metadata with
   * every request. A browser gets no HTTP basic challenge: it would prompt for the password and then send it
   * by itself with every request to the service, also with those another site makes.
   */
  private static boolean fromBrowser(HttpServletRequest request) {
    return "XMLHttpRequest".equals(request.getHeader("X-Requested-With")) || request.getHeader("Sec-Fetch-Mode") != null;
  }

  /** 401 for the API: the credentials were wrong, or there were none. */
  private void signInFirst(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (!fromBrowser(request)) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    problems.write(request, response,
        e instanceof BadCredentialsException ? Problems.badCredentials() : Problems.notSignedIn());
  }

  /**
   * Says what was refused: a missing or wrong CSRF token (for a session that has ended, that the person is
   * not signed in; for the login form, back to the login page), or a request for operators only.
   */
  private AccessDeniedHandler denied() {
    AuthenticationEntryPoint signInFirst = this::signInFirst;
    return (request, response, e) -> {
      if (e instanceof CsrfException) {
        if (!API.matches(request)) {
          // A form of the page, such as the login form, from a session that has ended meanwhile.
          response.sendRedirect(request.getContextPath() + "/login?expired");
        } else if (!trust.isAuthenticated(SecurityContextHolder.getContext().getAuthentication())) {
          signInFirst.commence(request, response,
              new InsufficientAuthenticationException("no session signs this request in", e));
        } else {
          problems.write(request, response, Problems.csrfTokenInvalid());
        }
        return;
      }
      problems.write(request, response, OPERATOR_API.matches(request) ? Problems.notAnOperator() : Problems.forbidden());
    };
  }

  /**
   * Refuses HTTP basic credentials on a request another site made: a browser that holds such credentials
   * (typed into its own prompt, or in a URL) would otherwise send them along with a forged request.
   */
  private OncePerRequestFilter refuseOtherSites() {
    return new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && OTHER_SITES.contains(site.toLowerCase(Locale.ROOT))) {
          problems.write(request, response, Problems.crossSite());
          return;
        }
        chain.doFilter(request, response);
      }
    };
  }
}
