package com.gigsta.booking.examples.service;

import com.gigsta.booking.Role;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The sign-in page, in the booking page's look (its stylesheet and header), with the demo users and a
 * notice after signing out, a failed attempt or an ended session. Spring Security's form login posts to
 * the same path. Thread-safe.
 */
@Controller
class LoginPageController {

  @GetMapping("/login")
  ResponseEntity<String> page(CsrfToken csrf,
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "logout", required = false) String logout,
      @RequestParam(name = "expired", required = false) String expired) {
    String notice = error != null ? notice("error", "The user name or password is wrong. Please try again.")
        : expired != null ? notice("warning", "Your session expired. Please sign in again.")
        : logout != null ? notice("info", "You are signed out.")
        : "";
    StringBuilder users = new StringBuilder();
    for (DemoUsers.DemoUser user : DemoUsers.all()) {
      users.append("          <tr><td><code>").append(escape(user.username())).append("</code></td><td>")
          .append(escape(user.displayName())).append("</td><td>").append(escape(who(user))).append("</td></tr>\n");
    }
    String html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Sign in · GigSta bookings</title>
          <link rel="stylesheet" href="/app.css">
        </head>
        <body class="login-page">
          <header class="topbar">
            <div class="brand"><span class="logo">G</span> GigSta bookings</div>
          </header>
          <main class="login">
            <section class="card login-card">
              <h1>Sign in</h1>
              %s<form method="post" action="/login">
                <label for="username">User name</label>
                <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required autofocus>
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <input type="hidden" name="%s" value="%s">
                <button type="submit" class="btn btn-primary" id="sign-in">Sign in</button>
              </form>
            </section>
            <section class="card demo-users">
              <h2>Demo users</h2>
              <p class="hint">Every demo user's password is <code>%s</code>.</p>
              <table id="demo-users">
                <thead><tr><th>User</th><th>Name</th><th>Who</th></tr></thead>
                <tbody>
        %s        </tbody>
              </table>
            </section>
          </main>
        </body>
        </html>
        """.formatted(notice, escape(csrf.getParameterName()), escape(csrf.getToken()), escape(DemoUsers.PASSWORD),
        users);
    return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .body(html);
  }

  private static String who(DemoUsers.DemoUser user) {
    return user.role() == Role.GIGSTA ? "GigSta, " + user.about() : user.about();
  }

  private static String notice(String kind, String text) {
    return "<p class=\"notice notice-" + kind + "\" role=\"status\">" + escape(text) + "</p>\n      ";
  }

  private static String escape(String text) {
    return HtmlUtils.htmlEscape(text, "UTF-8");
  }
}
