package io.budgetctl.engine.template;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.Radix64Encoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * {@code password_hash('bcrypt', salt, rounds, ident)} as Ansible computes it through crypt(3) (libxcrypt) or passlib:
 * {@code $2b$<cost>$<22 salt characters><31 hash characters>}. The salt is 22 characters of bcrypt's base-64
 * alphabet; the last one carries only two bits, so like crypt the output shows it normalised ({@code ...v} becomes
 * {@code ...u}). A password longer than 72 bytes is cut there, as bcrypt does. Without a salt one is drawn at random,
 * so a task that must stay idempotent passes a fixed salt (the Ansible advice too).
 */
final class Bcrypt {
    private static final Pattern SALT = Pattern.compile("[./A-Za-z0-9]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Bcrypt() {
    }

    static String hash(String password, String salt, int cost, String ident) {
        BCrypt.Version version = switch (ident) {
            case "2b" -> BCrypt.Version.VERSION_2B;
            case "2a" -> BCrypt.Version.VERSION_2A;
            case "2y" -> BCrypt.Version.VERSION_2Y;
            default -> throw new TemplateFailure("password_hash: bcrypt ident '" + ident + "' is not supported",
                    "use 2b (the default), 2a or 2y");
        };
        if (cost < 4 || cost > 31) {
            throw new TemplateFailure("password_hash: bcrypt rounds must be 4..31, not " + cost,
                    "leave rounds out for the default 12");
        }
        byte[] raw = new byte[16];
        if (salt == null) {
            RANDOM.nextBytes(raw);
        } else {
            if (!SALT.matcher(salt).matches()) {
                throw new TemplateFailure("password_hash: a bcrypt salt is 22 characters of ./A-Za-z0-9",
                        "e.g. salt=(inventory_hostname | hash('sha256'))[:21] ~ 'e'; or leave it out for a random one");
            }
            raw = new Radix64Encoder.Default().decode(salt.getBytes(StandardCharsets.US_ASCII));
        }
        BCrypt.Hasher hasher = BCrypt.with(version, RANDOM, LongPasswordStrategies.truncate(version));
        return new String(hasher.hash(cost, raw, password.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.US_ASCII);
    }
}
