package io.budgetctl.itbm;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Set;

/**
 * The app's own licence check ({@link Licence#verify}, package-private there) for the portal's tests: a licence the
 * portal issues must be accepted by exactly the code that runs in IT Budget Manager.
 */
public final class AppLicenceCheck {
    private AppLicenceCheck() {
    }

    /** What the app read from a licence it accepted. */
    public record Accepted(String customer, LocalDate expires, Set<String> modules) {
    }

    /** @throws RuntimeException with the app's message when the app refuses the file */
    public static Accepted verify(String file, String publicKeyBase64) {
        Licence l = Licence.verify(file.getBytes(StandardCharsets.UTF_8), Licence.publicKey(publicKeyBase64));
        return new Accepted(l.customer(), l.expires(), l.modules());
    }
}
