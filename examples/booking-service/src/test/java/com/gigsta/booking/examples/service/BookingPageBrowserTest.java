package com.gigsta.booking.examples.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.gigsta.booking.PaymentMoment;
import com.gigsta.booking.testing.FakeProcessor;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The booking page in a real browser: Debian's headless Chromium, driven by its chromedriver, against the
 * running service. A customer and a GigSta take turns on one booking, and every step checks the buttons,
 * what each does with money and the timeline the page shows; the operator sees a refund the card processor
 * refused as a dead letter, resubmits it, and sees the booking's ledger. The sign-in page has the product's
 * look, refusals read as sentences, and the page fits a phone 390 pixels wide. The screenshots the README
 * shows go to {@code docs/screenshots/}, the others to {@code target/screenshots/}.
 *
 * <p>Skipped when Chromium is not installed, except in CI ({@code CI=true}) or with
 * {@code GIGSTA_DB_REQUIRED=true}, where a missing browser fails the build.
 */
// A database of its own, so the lists (and the screenshots) show only this test's bookings.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.datasource.url=jdbc:h2:mem:booking-page-browser-test;DB_CLOSE_DELAY=-1")
class BookingPageBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  // The screenshots the README shows, rewritten by every run so that they show the page as it is.
  private static final Path DOCS = Path.of("docs", "screenshots");
  private static final Duration WAIT = Duration.ofSeconds(15);
  // A dead letter takes the worker's attempts and backoffs (application.properties) plus the page's poll.
  private static final Duration DEAD_LETTER_WAIT = Duration.ofSeconds(60);

  private static final List<WebDriver> browsers = new ArrayList<>();
  private static final List<Path> profiles = new ArrayList<>();

  @LocalServerPort
  int port;

  @Autowired
  SwitchablePaymentHooks payments;

  @Autowired
  FakeProcessor processor;

  @BeforeAll
  static void startChromeDriver() throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed && ("true".equals(System.getenv("CI")) || "true".equals(System.getenv("GIGSTA_DB_REQUIRED")))) {
      fail(CHROMIUM + " or " + CHROMEDRIVER + " is missing: install Debian's chromium and chromium-driver "
          + "(.ci/prepare does) to run the browser test");
    }
    Assumptions.assumeTrue(installed, "Chromium is not installed: apt-get install chromium chromium-driver");
    Files.createDirectories(SCREENSHOTS);
    Files.createDirectories(DOCS);
  }

  @AfterAll
  static void stopBrowsers() throws IOException {
    // Whatever the Content-Security-Policy blocked shows in the console, and would be a part of the page that
    // does not work.
    List<String> blocked = new ArrayList<>();
    try {
      for (WebDriver browser : browsers) {
        browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
            .filter(message -> message.contains("Content Security Policy")).forEach(blocked::add);
      }
    } finally {
      // Quitting a browser also stops the chromedriver process started for it.
      for (WebDriver browser : browsers) {
        browser.quit();
      }
      for (Path profile : profiles) {
        try (var files = Files.walk(profile)) {
          files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
    assertThat(blocked).isEmpty();
  }

  private WebDriver browser() throws IOException {
    return browser(null);
  }

  /** A browser whose page is 390 by 844 CSS pixels, as on a phone. */
  private WebDriver phone() throws IOException {
    return browser(Map.of("deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 1.0, "mobile", true)));
  }

  private WebDriver browser(Map<String, Object> mobileEmulation) throws IOException {
    Path profile = Files.createTempDirectory("gigsta-chromium-");
    profiles.add(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,860", "--lang=en-GB", "--user-data-dir=" + profile);
    if (mobileEmulation != null) {
      options.setExperimentalOption("mobileEmulation", mobileEmulation);
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver is named explicitly, so Selenium never looks for (or downloads) a driver or browser itself.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    WebDriver browser = new ChromeDriver(service, options);
    browsers.add(browser);
    return browser;
  }

  private void signIn(WebDriver browser, String user) {
    browser.get("http://127.0.0.1:" + port + "/login");
    browser.findElement(By.name("username")).sendKeys(user);
    browser.findElement(By.name("password")).sendKeys(DemoUsers.PASSWORD);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    waitUntilReady(browser);
  }

  private void open(WebDriver browser, String bookingId) {
    // Leave the page first: going to the same address with only a new fragment would not reload it.
    browser.get("about:blank");
    browser.get("http://127.0.0.1:" + port + "/#" + bookingId);
    waitUntilReady(browser);
    waitFor(browser).until(ExpectedConditions.attributeToBe(By.id("booking"), "data-booking-id", bookingId));
  }

  private static void waitUntilReady(WebDriver browser) {
    waitFor(browser).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
  }

  private static Wait<WebDriver> waitFor(WebDriver browser) {
    return waitFor(browser, WAIT);
  }

  private static Wait<WebDriver> waitFor(WebDriver browser, Duration patience) {
    // A condition that looks an element up can catch the old page's element just as a new page replaces it;
    // the next poll looks it up again on the new page.
    return new WebDriverWait(browser, patience).ignoring(StaleElementReferenceException.class);
  }

  private static void waitForState(WebDriver browser, String state, int entries) {
    waitFor(browser).until(ExpectedConditions.attributeToBe(By.id("booking-state"), "data-state", state));
    waitFor(browser).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#timeline li"), entries));
  }

  private static List<String> buttons(WebDriver browser) {
    return browser.findElements(By.cssSelector("#actions button")).stream()
        .map(button -> button.getAttribute("data-action") + ":" + button.getText()).toList();
  }

  private static List<String> timeline(WebDriver browser) {
    return browser.findElements(By.cssSelector("#timeline li")).stream()
        .map(item -> item.getAttribute("data-action") + "->" + item.getAttribute("data-to-state")).toList();
  }

  private static String consequence(WebDriver browser, String action) {
    return browser.findElement(By.cssSelector("#consequences li[data-action='" + action + "']")).getText();
  }

  private static void click(WebDriver browser, String action) {
    browser.findElement(By.cssSelector("#actions button[data-action='" + action + "']")).click();
  }

  private static void screenshot(WebDriver browser, String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name + ".png"), png);
  }

  /** Takes a screenshot for the README. */
  private static void documentation(WebDriver browser, String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(DOCS.resolve(name + ".png"), png);
  }

  private static Object script(WebDriver browser, String script, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(script, arguments);
  }

  private static String style(WebDriver browser, String selector, String property) {
    return browser.findElement(By.cssSelector(selector)).getCssValue(property);
  }

  @Test
  void shouldTakeABookingThroughRequestAcceptAndConfirmedCancellation() throws IOException {
    WebDriver customer = browser();
    WebDriver gigsta = browser();

    // The sign-in page looks like the product (its stylesheet, its header) and names the demo users.
    customer.get("http://127.0.0.1:" + port + "/login");
    assertThat(customer.getTitle()).isEqualTo("Sign in \u00b7 GigSta bookings");
    assertThat(customer.findElement(By.cssSelector(".topbar .brand")).getText()).contains("GigSta bookings");
    assertThat(style(customer, "body", "background-color")).isEqualTo("rgba(244, 245, 249, 1)");
    assertThat(style(customer, "#sign-in", "background-color")).isEqualTo("rgba(91, 61, 245, 1)");
    assertThat(customer.findElements(By.cssSelector("#demo-users tbody tr"))).hasSize(DemoUsers.all().size());
    assertThat(customer.findElement(By.id("demo-users")).getText()).contains("alice", "Alice Lind", "gina",
        "Gina Patel", "plumber", "olga", "operator");
    assertThat(customer.findElements(By.cssSelector(".notice"))).isEmpty();
    documentation(customer, "sign-in");

    // The customer requests a booking from Gina, starting in three hours, at the price the form offers.
    signIn(customer, "alice");
    assertThat(customer.findElement(By.id("me")).getText()).contains("Alice Lind");
    new org.openqa.selenium.support.ui.Select(customer.findElement(By.id("gigsta"))).selectByValue("gina");
    assertThat(customer.findElement(By.id("price")).getAttribute("value")).isEqualTo("80.00");
    assertThat(customer.findElement(By.id("price-currency")).getText()).isEqualTo("EUR");
    String start = LocalDateTime.now().plusHours(3).truncatedTo(ChronoUnit.MINUTES).toString();
    // The browser runs in this machine's time zone, so the local time typed is three hours from now.
    ((JavascriptExecutor) customer).executeScript("document.getElementById('start').value = arguments[0]", start);
    customer.findElement(By.id("request-booking")).click();
    waitFor(customer).until(ExpectedConditions.attributeToBeNotEmpty(customer.findElement(By.id("booking")),
        "data-booking-id"));
    waitForState(customer, "REQUESTED", 1);
    String bookingId = customer.findElement(By.id("booking")).getAttribute("data-booking-id");
    assertThat(buttons(customer)).containsExactly("cancel_booking:Cancel booking");
    assertThat(customer.findElement(By.id("consequences")).getText()).isEmpty();
    assertThat(customer.findElement(By.id("booking-price")).getText()).contains("80.00");
    assertThat(timeline(customer)).containsExactly("request_booking->REQUESTED");
    screenshot(customer, "01-customer-requested");

    // Gina finds it in her list and sees her two choices, and what accepting does to the customer's card;
    // accepting needs no confirmation.
    signIn(gigsta, "gina");
    gigsta.findElement(By.cssSelector("#bookings a[data-booking-id='" + bookingId + "']")).click();
    waitForState(gigsta, "REQUESTED", 1);
    assertThat(buttons(gigsta)).containsExactly("accept_booking:Accept booking", "decline_booking:Decline booking");
    assertThat(gigsta.findElement(By.cssSelector("#actions [data-action=decline_booking]")).getAttribute("class"))
        .contains("btn-danger");
    assertThat(consequence(gigsta, "accept_booking")).startsWith("Accepting charges the customer\u2019s card ")
        .contains("80.00");
    assertThat(gigsta.findElements(By.cssSelector("#consequences li"))).hasSize(1);
    screenshot(gigsta, "02-gigsta-requested");
    click(gigsta, "accept_booking");
    waitForState(gigsta, "ACCEPTED", 2);
    assertThat(gigsta.findElement(By.id("confirm")).isDisplayed()).isFalse();
    assertThat(buttons(gigsta)).containsExactly("cancel_booking:Cancel booking",
        "mark_in_progress:Mark as in progress");
    // Her own cancellation would give the customer everything back.
    assertThat(consequence(gigsta, "cancel_booking")).startsWith("The customer gets ")
        .contains("80.00", "no cancellation fee");
    assertThat(timeline(gigsta)).containsExactly("request_booking->REQUESTED", "accept_booking->ACCEPTED");
    screenshot(gigsta, "03-gigsta-accepted");
    documentation(gigsta, "booking-page");

    // The customer reloads; cancelling is critical, so the page asks first, and going back changes nothing.
    open(customer, bookingId);
    waitForState(customer, "ACCEPTED", 2);
    assertThat(buttons(customer)).containsExactly("cancel_booking:Cancel booking");
    click(customer, "cancel_booking");
    WebElement dialog = customer.findElement(By.id("confirm"));
    waitFor(customer).until(ExpectedConditions.visibilityOf(dialog));
    assertThat(customer.findElement(By.id("reason")).isDisplayed()).isTrue();
    // Less than 24 hours before the start: the confirmation says she gets half back, before she confirms.
    WebElement shown = customer.findElement(By.id("confirm-consequence"));
    assertThat(shown.isDisplayed()).isTrue();
    assertThat(shown.getText()).startsWith("You will get ").contains("40.00 back; ", "40.00 cancellation fee");
    customer.findElement(By.id("confirm-back")).click();
    waitFor(customer).until(ExpectedConditions.invisibilityOf(dialog));
    assertThat(customer.findElement(By.id("booking-state")).getAttribute("data-state")).isEqualTo("ACCEPTED");
    assertThat(timeline(customer)).hasSize(2);

    click(customer, "cancel_booking");
    waitFor(customer).until(ExpectedConditions.visibilityOf(dialog));
    customer.findElement(By.id("reason")).sendKeys("My landlord fixed the leak himself, sorry!");
    screenshot(customer, "04-customer-confirms-cancellation");
    documentation(customer, "cancel-confirmation");
    customer.findElement(By.id("confirm-ok")).click();
    waitForState(customer, "CANCELLED_BY_CUSTOMER", 3);
    assertThat(buttons(customer)).isEmpty();
    assertThat(customer.findElement(By.id("no-actions")).isDisplayed()).isTrue();
    assertThat(timeline(customer)).containsExactly("request_booking->REQUESTED", "accept_booking->ACCEPTED",
        "cancel_booking->CANCELLED_BY_CUSTOMER");
    assertThat(customer.findElement(By.cssSelector("#timeline li:last-child .event-reason")).getText())
        .isEqualTo("My landlord fixed the leak himself, sorry!");
    screenshot(customer, "05-customer-cancelled");

    // Gina's page still shows the booking accepted. Cancelling it there is refused, in words that say what
    // happened, and the page shows the booking as it is now.
    assertThat(gigsta.findElement(By.id("booking-state")).getAttribute("data-state")).isEqualTo("ACCEPTED");
    click(gigsta, "cancel_booking");
    WebElement ginasDialog = gigsta.findElement(By.id("confirm"));
    waitFor(gigsta).until(ExpectedConditions.visibilityOf(ginasDialog));
    gigsta.findElement(By.id("confirm-ok")).click();
    WebElement stale = gigsta.findElement(By.id("problem"));
    waitFor(gigsta).until(ExpectedConditions.visibilityOf(stale));
    assertThat(stale.getAttribute("data-status")).isEqualTo("409");
    assertThat(stale.findElement(By.cssSelector(".problem-message")).getText())
        .isEqualTo("Alice cancelled this booking while you were looking at it. Here it is as it is now.");
    waitForState(gigsta, "CANCELLED_BY_CUSTOMER", 3);
    screenshot(gigsta, "06-gigsta-stale-page");

    // Gina sees the same end: no buttons, and the customer's reason in the timeline.
    open(gigsta, bookingId);
    waitForState(gigsta, "CANCELLED_BY_CUSTOMER", 3);
    assertThat(buttons(gigsta)).isEmpty();
    assertThat(gigsta.findElement(By.cssSelector("#timeline li:last-child")).getText())
        .contains("Booking cancelled by customer", "Alice Lind", "My landlord fixed the leak himself");
    // The delivery worker's notifications consumer tells her too, shortly after; the page polls for it.
    By cancellationNotice = By.cssSelector("#notifications li[data-booking-id='" + bookingId
        + "'][data-action=cancel_booking]");
    waitFor(gigsta).until(ExpectedConditions.numberOfElementsToBe(cancellationNotice, 1));
    assertThat(gigsta.findElement(cancellationNotice).getText())
        .contains("Booking cancelled by customer (Alice Lind)", "My landlord fixed the leak himself");
    screenshot(gigsta, "06-gigsta-sees-cancellation");

    // Dora's card is always declined: accepting her request is refused with 402 and nothing changes.
    customer.findElement(By.id("logout")).click();
    waitFor(customer).until(ExpectedConditions.urlContains("/login"));
    assertThat(customer.findElement(By.cssSelector(".notice")).getText()).isEqualTo("You are signed out.");
    signIn(customer, "dora");
    customer.findElement(By.id("request-booking")).click();
    waitFor(customer).until(ExpectedConditions.attributeToBeNotEmpty(customer.findElement(By.id("booking")),
        "data-booking-id"));
    waitForState(customer, "REQUESTED", 1);
    String declinedId = customer.findElement(By.id("booking")).getAttribute("data-booking-id");
    open(gigsta, declinedId);
    waitForState(gigsta, "REQUESTED", 1);
    click(gigsta, "accept_booking");
    WebElement problem = gigsta.findElement(By.id("problem"));
    waitFor(gigsta).until(ExpectedConditions.visibilityOf(problem));
    assertThat(problem.getAttribute("data-status")).isEqualTo("402");
    // A sentence for Gina; the problem's technical detail stays behind "Details", closed.
    assertThat(problem.findElement(By.cssSelector(".problem-message")).getText()).isEqualTo("Dora's card was "
        + "declined, so the booking is not accepted. Once the card is fixed, accepting again is a new payment attempt.");
    WebElement details = problem.findElement(By.cssSelector("details"));
    assertThat(details.getAttribute("open")).isNull();
    assertThat(details.getText()).isEqualTo("Details");
    assertThat(problem.getText()).doesNotContain("undefined", "idempotency");
    waitForState(gigsta, "REQUESTED", 1);
    assertThat(buttons(gigsta)).containsExactly("accept_booking:Accept booking", "decline_booking:Decline booking");
    screenshot(gigsta, "07-gigsta-payment-declined");
    documentation(gigsta, "payment-declined");
  }

  @Test
  void shouldShowTheOperatorADeadLetterAndDeliverItWhenResubmitted() throws IOException {
    WebDriver operator = browser();
    signIn(operator, "olga");
    assertThat(operator.findElement(By.id("dead-letters-card")).isDisplayed()).isTrue();
    assertThat(operator.findElement(By.id("payments-card")).isDisplayed()).isTrue();

    // Olga makes the card processor fail every refund; then a booking is accepted and cancelled.
    operator.findElement(By.id("fail-refunds")).click();
    waitFor(operator).until(browser -> payments.failsRefunds());
    ApiClient alice = ApiClient.basic(port, "alice");
    ApiClient gina = ApiClient.basic(port, "gina");
    String id = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\"}").json().at("/booking/id").asText();
    assertThat(gina.post("/api/bookings/" + id + "/actions/accept_booking", "{\"version\":1}").status()).isEqualTo(200);
    assertThat(alice.post("/api/bookings/" + id + "/actions/cancel_booking", "{\"version\":2}").status())
        .isEqualTo(200);

    // The worker tries the refund a few times, then keeps it as a dead letter, which her page shows.
    By settlement = By.cssSelector("#dead-letters .consumer[data-consumer=settlement]");
    By letter = By.cssSelector("#dead-letters .consumer[data-consumer=settlement] li[data-booking-id='" + id + "']");
    waitFor(operator, DEAD_LETTER_WAIT).until(ExpectedConditions.numberOfElementsToBe(letter, 1));
    assertThat(operator.findElement(letter).getText())
        .contains("Refund for cancel_booking", "booking " + id.substring(0, 8), "failed attempts", "refusing refunds");
    assertThat(operator.findElement(settlement).getAttribute("data-count")).isEqualTo("1");
    assertThat(operator.findElement(By.cssSelector("#dead-letters .consumer[data-consumer=notifications]"))
        .getAttribute("data-count")).isEqualTo("0");
    assertThat(processor.ledger(id).refunded()).isZero();
    // The booking's ledger shows the charge the acceptance captured.
    By ledger = By.cssSelector("#ledgers li[data-booking-id='" + id + "']");
    waitFor(operator).until(ExpectedConditions.textMatches(ledger, Pattern.compile("captured \\S*80\\.00")));
    screenshot(operator, "08-operator-dead-letter");
    documentation(operator, "operator-dead-letter");

    // Refunds work again; Olga resubmits, and the worker makes the refund with the change's key.
    operator.findElement(By.id("fail-refunds")).click();
    waitFor(operator).until(browser -> !payments.failsRefunds());
    waitFor(operator).until(browser -> {
      // Looked up afresh on each try: a poll may rebuild the list under the pointer.
      browser.findElement(letter).findElement(By.cssSelector("button[data-resubmit]")).click();
      return true;
    });
    waitFor(operator, DEAD_LETTER_WAIT).until(ExpectedConditions.numberOfElementsToBe(letter, 0));
    waitFor(operator).until(ExpectedConditions.attributeToBe(settlement, "data-count", "0"));
    waitFor(operator, DEAD_LETTER_WAIT).until(browser -> processor.effectiveCalls().stream().anyMatch(
        call -> call.request().idempotencyKey().equals(id + ":3:cancel_booking:refund:1")));
    assertThat(processor.effectiveCalls()).filteredOn(call -> call.request().bookingId().equals(id))
        .extracting(FakeProcessor.Call::moment)
        .containsExactly(PaymentMoment.SECURE, PaymentMoment.CAPTURE, PaymentMoment.REFUND);
    waitFor(operator).until(ExpectedConditions.textMatches(ledger, Pattern.compile("refunded \\S*80\\.00")));
    screenshot(operator, "09-operator-resubmitted");
  }

  @Test
  void shouldFitAPhoneScreen390PixelsWide() throws IOException {
    ApiClient alice = ApiClient.basic(port, "alice");
    String start = java.time.Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS).toString();
    String id = alice.post("/api/bookings", "{\"gigsta_id\":\"gina\",\"scheduled_start\":\"" + start + "\"}")
        .json().at("/booking/id").asText();
    assertThat(ApiClient.basic(port, "gina").post("/api/bookings/" + id + "/actions/accept_booking",
        "{\"version\":1}").status()).isEqualTo(200);
    WebDriver phone = phone();

    phone.get("http://127.0.0.1:" + port + "/login");
    assertThat(script(phone, "return window.innerWidth")).isEqualTo(390L);
    assertFitsTheScreen(phone);
    screenshot(phone, "10-phone-sign-in");
    signIn(phone, "alice");
    open(phone, id);
    waitForState(phone, "ACCEPTED", 2);

    assertFitsTheScreen(phone);
    // The title takes the card's width and at most two lines, rather than a column of one word per line.
    WebElement title = phone.findElement(By.id("booking-title"));
    double titleWidth = ((Number) script(phone, "return arguments[0].getBoundingClientRect().width", title))
        .doubleValue();
    double cardWidth = ((Number) script(phone, "const card = arguments[0]; const style = getComputedStyle(card);"
        + " return card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);",
        phone.findElement(By.id("booking")))).doubleValue();
    assertThat(titleWidth).isGreaterThanOrEqualTo(cardWidth - 1);
    long lines = (Long) script(phone, "const style = getComputedStyle(arguments[0]);"
        + " return Math.round(arguments[0].getBoundingClientRect().height / parseFloat(style.lineHeight));", title);
    assertThat(lines).isLessThanOrEqualTo(2);
    // The state and the price come under the title, not squeezed beside it.
    double titleBottom = ((Number) script(phone, "return arguments[0].getBoundingClientRect().bottom", title))
        .doubleValue();
    double stateTop = ((Number) script(phone, "return arguments[0].getBoundingClientRect().top",
        phone.findElement(By.id("booking-state")))).doubleValue();
    assertThat(stateTop).isGreaterThanOrEqualTo(titleBottom);
    script(phone, "document.getElementById('booking').scrollIntoView()");
    documentation(phone, "phone");

    click(phone, "cancel_booking");
    WebElement dialog = phone.findElement(By.id("confirm"));
    waitFor(phone).until(ExpectedConditions.visibilityOf(dialog));
    assertFitsTheScreen(phone);
    screenshot(phone, "11-phone-confirm");
  }

  /** Nothing sticks out of the screen: no horizontal scrolling, and every visible element within its width. */
  private static void assertFitsTheScreen(WebDriver browser) {
    assertThat(script(browser, "return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    List<String> outside = (List<String>) script(browser, "return Array.from(document.querySelectorAll('body *'))"
        + ".filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')"
        + ".filter(e => { const r = e.getBoundingClientRect(); return r.left < -0.5 || r.right > window.innerWidth + 0.5; })"
        + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)");
    assertThat(outside).isEmpty();
  }
}
