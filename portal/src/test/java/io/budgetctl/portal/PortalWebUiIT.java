package io.budgetctl.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.budgetctl.itbm.AppLicenceCheck;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal's web UI in a real browser: Debian's chromium, headless, driven through Debian's chromedriver by
 * Selenium, against a real portal on loopback (H2 file database). Sign in, see the fleet with stale and drift in
 * colour, watch a customer turn red when its heartbeats stop, read its heartbeat history, edit a licence (the new
 * revision verifies with the app's own check), get a clear refusal for a bad date, and a viewer's read-only page.
 * Screenshots of every step are kept in {@code portal/target/screenshots/} (CI artifacts). The browser and driver
 * come from scripts/setup; without them this test fails, it does not skip.
 */
class PortalWebUiIT {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    static final Path SHOTS = Paths.get("target", "screenshots");
    static final String OLGA_PASSWORD = "olga-licence-admin-pw";
    static final String VIC_PASSWORD = "vic-viewer-password-1";

    @TempDir
    static Path dir;
    static TestPortal.MovableClock clock = new TestPortal.MovableClock(Instant.parse("2026-12-05T08:00:00Z"));
    static TestPortal portal;
    static WebDriver browser;
    static String acmeToken;
    static String betaToken;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (scripts/setup installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (scripts/setup installs it)").isExecutable();
        Files.createDirectories(SHOTS);
        portal = TestPortal.start(dir, TestPortal.h2(dir), dir.resolve("key"), clock);
        put("/api/v1/customers/acme", "{\"name\": \"Acme Ltd\"}");
        put("/api/v1/customers/beta", "{\"name\": \"Beta <b>GmbH</b>\"}");
        put("/api/v1/customers/gamma", "{\"name\": \"Gamma AG\"}");
        put("/api/v1/licences/LIC-ACME", "{\"customer\": \"acme\", \"modules\": [\"sso\", \"forecasting\"],"
                + " \"limits\": {\"users\": 250}, \"valid_from\": \"2026-01-01\", \"expires\": \"2027-01-31\"}");
        put("/api/v1/licences/LIC-BETA", "{\"customer\": \"beta\", \"modules\": [\"reporting\"],"
                + " \"valid_from\": \"2026-01-01\", \"expires\": \"2027-06-30\"}");
        put("/api/v1/licences/LIC-GAMMA", "{\"customer\": \"gamma\", \"modules\": [],"
                + " \"valid_from\": \"2026-01-01\", \"expires\": \"2027-06-30\"}");
        acmeToken = enrol("acme", "acme-prod", "LIC-ACME");
        betaToken = enrol("beta", "beta-prod", "LIC-BETA");
        put("/api/v1/users/olga", "{\"role\": \"licence-admin\", \"password\": \"" + OLGA_PASSWORD + "\"}");
        put("/api/v1/users/vic", "{\"role\": \"viewer\", \"password\": \"" + VIC_PASSWORD + "\"}");
        put("/api/v1/desired-state", "{\"customers\": ["
                + "{\"customer\": \"acme\", \"version\": \"v1.4.0\", \"modules\": [\"forecasting\", \"sso\"]},"
                + "{\"customer\": \"beta\", \"version\": \"v1.4.0\", \"modules\": [\"reporting\"]}]}");
        beat(acmeToken, "acme-prod", "LIC-ACME", "v1.4.0", "[\"forecasting\", \"sso\"]");
        beat(betaToken, "beta-prod", "LIC-BETA", "v1.3.2", "[\"reporting\"]");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // root in a container: chromium's sandbox needs namespaces this machine does not give
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log")).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (portal != null) {
            portal.close();
        }
    }

    @Test
    void signInSeeTheFleetWatchAStaleCustomerTurnRedAndEditALicence() throws Exception {
        // not signed in: every page leads to the sign-in form
        browser.get(portal.url + "/ui/fleet");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
        shot("01-sign-in");

        signIn("olga", "not-her-password");
        assertThat(text("login-error")).isEqualTo("wrong user name or password");
        shot("02-sign-in-refused");

        signIn("olga", OLGA_PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/ui/fleet");
        assertThat(text("whoami")).isEqualTo("olga");
        assertThat(text("role")).isEqualTo("licence-admin");
        WebElement acme = row("acme");
        assertThat(acme.getAttribute("class")).isEqualTo("ok");
        assertThat(acme.findElement(By.cssSelector("td.status")).getText()).startsWith("OK");
        assertThat(acme.findElement(By.cssSelector("td.version")).getText()).contains("v1.4.0");
        WebElement beta = row("beta");
        assertThat(beta.getAttribute("class")).isEqualTo("drift");
        assertThat(beta.getText()).contains("DRIFT").contains("runs v1.3.2, the repository wants v1.4.0");
        // a customer's name is shown as text, never as markup
        assertThat(beta.getText()).contains("Beta <b>GmbH</b>");
        assertThat(beta.findElements(By.tagName("b"))).isEmpty();
        WebElement gamma = row("gamma");
        assertThat(gamma.getText()).contains("NO HEARTBEAT");
        assertThat(gamma.getAttribute("class")).isEqualTo("stale");
        assertThat(text("stale-count")).isEqualTo("1 stale");
        shot("03-fleet");

        // three minutes pass (interval 60 s): beta keeps reporting, acme falls silent and turns red
        clock.advance(Duration.ofMinutes(3));
        beat(betaToken, "beta-prod", "LIC-BETA", "v1.4.0", "[\"reporting\"]");
        browser.navigate().refresh();
        acme = row("acme");
        assertThat(acme.getAttribute("class")).isEqualTo("stale");
        assertThat(acme.findElement(By.cssSelector("td.status")).getText()).startsWith("STALE");
        assertThat(acme.findElement(By.tagName("td")).getCssValue("background-color"))
                .isEqualTo("rgba(248, 215, 218, 1)");
        assertThat(acme.getText()).contains("3 min ago");
        beta = row("beta");
        assertThat(beta.getAttribute("class")).isEqualTo("ok");
        assertThat(beta.findElement(By.tagName("td")).getCssValue("background-color"))
                .isNotEqualTo("rgba(248, 215, 218, 1)");
        assertThat(text("stale-count")).isEqualTo("2 stale");
        shot("04-acme-stale");

        // the customer page: status and heartbeat history
        clickAndLoad(acme.findElement(By.linkText("acme")));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/customers/acme");
        assertThat(text("customer-status")).startsWith("STALE");
        List<WebElement> beats = browser.findElements(By.cssSelector("#heartbeats tbody tr"));
        assertThat(beats).hasSize(1);
        assertThat(beats.get(0).getText()).contains("acme-prod").contains("v1.4.0").contains("forecasting, sso");
        shot("05-customer-acme");

        // edit the licence: add reporting, raise the user limit
        clickAndLoad(browser.findElement(By.linkText("LIC-ACME")));
        assertThat(text("licence-revision")).isEqualTo("1");
        browser.findElement(By.id("module-reporting")).click();
        WebElement users = browser.findElement(By.id("limit-users"));
        users.clear();
        users.sendKeys("300");
        clickAndLoad(browser.findElement(By.id("save")));
        assertThat(text("saved")).isEqualTo("Saved and signed as revision 2.");
        assertThat(text("licence-modules")).isEqualTo("forecasting, reporting, sso");
        assertThat(text("licence-limits")).isEqualTo("users 300");
        WebElement newest = browser.findElement(By.cssSelector("#history tbody tr"));
        assertThat(newest.getText()).contains("ui:olga").contains("licence_changed")
                .contains("modules: [\"forecasting\",\"sso\"] \u2192 [\"forecasting\",\"reporting\",\"sso\"]");
        shot("06-licence-saved");
        // the new revision is signed and verifies with the app's own check
        JsonNode lic = portal.admin("GET", "/api/v1/licences/LIC-ACME", null).json();
        assertThat(lic.get("revision").asInt()).isEqualTo(2);
        assertThat(lic.get("updated_by").asText()).isEqualTo("ui:olga");
        JsonNode keys = portal.call("GET", "/api/v1/keys", null, null).json();
        String pub = keys.get("keys").get(0).get("public_key").asText();
        assertThat(AppLicenceCheck.verify(lic.get("file").asText(), pub).modules())
                .containsExactlyInAnyOrder("forecasting", "reporting", "sso");

        // a bad date range: a clear error on the page, the typed values kept, nothing saved
        setDate("valid-from", "2027-03-01");
        setDate("expires", "2027-02-01");
        clickAndLoad(browser.findElement(By.id("save")));
        assertThat(text("edit-error")).contains("'expires' 2027-02-01 is before 'valid_from' 2027-03-01");
        assertThat(browser.findElement(By.id("module-reporting")).isSelected()).isTrue();
        assertThat(text("licence-revision")).isEqualTo("2");
        shot("07-licence-refused");
        assertThat(portal.admin("GET", "/api/v1/licences/LIC-ACME", null).json().get("revision").asInt())
                .isEqualTo(2);

        // enrol a new customer from the top bar: customer, name, licence id, modules, limits, dates
        clickAndLoad(browser.findElement(By.id("nav-enrol")));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/enrol");
        browser.findElement(By.id("customer-id")).sendKeys("delta");
        browser.findElement(By.id("customer-name")).sendKeys("Delta <i>AG</i>");
        browser.findElement(By.id("licence-id")).sendKeys("LIC-DELTA");
        browser.findElement(By.id("module-reporting")).click();
        browser.findElement(By.id("limit-users")).sendKeys("50");
        setDate("expires", "2027-06-30");
        shot("08-enrol-form");
        clickAndLoad(browser.findElement(By.id("enrol")));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/customers/delta?enrolled=LIC-DELTA");
        assertThat(text("enrolled")).startsWith("Enrolled with licence LIC-DELTA, signed as revision 1.");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Delta <i>AG</i>");
        assertThat(browser.findElement(By.cssSelector("#licences tbody tr")).getText()).contains("LIC-DELTA")
                .contains("2027-06-30").contains("reporting");
        shot("09-enrolled");
        JsonNode delta = portal.admin("GET", "/api/v1/licences/LIC-DELTA", null).json();
        assertThat(AppLicenceCheck.verify(delta.get("file").asText(), pub).modules()).containsExactly("reporting");
        assertThat(delta.get("updated_by").asText()).isEqualTo("ui:olga");
        // the same customer again: refused on the page, what was typed kept
        clickAndLoad(browser.findElement(By.id("nav-enrol")));
        browser.findElement(By.id("customer-id")).sendKeys("delta");
        browser.findElement(By.id("customer-name")).sendKeys("Delta again");
        browser.findElement(By.id("licence-id")).sendKeys("LIC-DELTA-2");
        setDate("expires", "2027-06-30");
        clickAndLoad(browser.findElement(By.id("enrol")));
        assertThat(text("enrol-error")).contains("customer 'delta' is enrolled already");
        assertThat(browser.findElement(By.id("customer-name")).getAttribute("value")).isEqualTo("Delta again");
        shot("10-enrol-refused");

        // sign out: the session is gone
        clickAndLoad(browser.findElement(By.id("logout")));
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
        browser.get(portal.url + "/ui/licences/LIC-ACME");
        assertThat(browser.getCurrentUrl()).endsWith("/ui/login");

        // a viewer reads the licence but gets no form
        signIn("vic", VIC_PASSWORD);
        browser.get(portal.url + "/ui/licences/LIC-ACME");
        assertThat(text("read-only")).contains("may not change licences");
        assertThat(browser.findElements(By.id("licence-form"))).isEmpty();
        assertThat(browser.findElements(By.id("nav-enrol"))).isEmpty();
        shot("11-viewer-read-only");
    }

    private static void signIn(String user, String password) {
        if (!browser.getCurrentUrl().endsWith("/ui/login")) {
            browser.get(portal.url + "/ui/login");
        }
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        clickAndLoad(browser.findElement(By.id("sign-in")));
    }

    /** Date inputs take keystrokes in the browser's locale order; set the value as the form will send it. */
    private static void setDate(String id, String isoDate) {
        WebElement e = browser.findElement(By.id(id));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", e,
                isoDate);
    }

    /**
     * Clicks what leads to another page and waits until the old page is gone and the new one loaded: a click does
     * not wait for the navigation it starts, and on a loaded CI machine the next look would find the old page.
     */
    private static void clickAndLoad(WebElement e) {
        e.click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> gone(e));
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether the element has left the page: stale, or, asked while Chrome is between the two documents, a node that
     * "does not belong to the document" (chromedriver 156 reports that as an unknown error, which
     * ExpectedConditions.stalenessOf does not take for staleness and the wait does not ignore).
     */
    private static boolean gone(WebElement e) {
        try {
            e.isEnabled();
            return false;
        } catch (StaleElementReferenceException stale) {
            return true;
        } catch (WebDriverException midNavigation) {
            if (String.valueOf(midNavigation.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw midNavigation;
        }
    }

    private static WebElement row(String customer) {
        return browser.findElement(By.id("row-" + customer));
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void shot(String name) throws Exception {
        File f = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void put(String path, String body) {
        TestPortal.Response r = portal.admin("PUT", path, body);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
    }

    private static String enrol(String customer, String instance, String licence) {
        TestPortal.Response r = portal.admin("POST", "/api/v1/customers/" + customer + "/instances",
                "{\"instance_id\": \"" + instance + "\", \"licence\": \"" + licence + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    private static void beat(String token, String instance, String licence, String version, String modules) {
        TestPortal.Response r = portal.call("POST", "/api/v1/heartbeats", token, "{\"instance_id\": \"" + instance
                + "\", \"licence\": \"" + licence + "\", \"version\": \"" + version + "\", \"git_sha\": \"0a1b2c3\","
                + " \"schema\": \"12\", \"uptime_seconds\": 3600, \"active_modules\": " + modules
                + ", \"health\": \"ok\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }
}
