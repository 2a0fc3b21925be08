package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.regex.Pattern;

/**
 * The one pattern per kind of identifier that reaches a customer's host (in paths, file names and shell commands):
 * the CLI checks every such value against it before the repository is opened or a host contacted, and the lifecycle
 * playbooks assert the same patterns again ({@code playbooks/vars/identifiers.yml} holds a copy, which a test keeps
 * equal to these). None of them admits a slash, a space, a quote, a {@code $}, a glob character or a leading dot, so
 * a checked value can neither leave its directory ({@code ../..}) nor be read by the shell as anything but a word.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /** A kind of identifier, its pattern and an example that matches it. */
    public enum Kind {
        /** A customer id, as client.schema.json's {@code id}. */
        CLIENT("client id", "^[a-z][a-z0-9-]{1,39}$", "acme"),
        /** A product version, as client.schema.json's {@code version} and releases.yaml. */
        VERSION("version", "^v[0-9]+\\.[0-9]+\\.[0-9]+$", "v1.4.0"),
        /** A backup's directory name under backups/ (the default is the host's UTC time). */
        BACKUP_ID("backup id", "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", "20250301T020000Z"),
        /** A release directory under releases/: the version and the UTC time it was rendered. */
        RELEASE("release name", "^v[0-9]+\\.[0-9]+\\.[0-9]+-[0-9]{8}T[0-9]{6}Z$", "v1.4.0-20250301T020000Z"),
        /** A Compose service name. */
        SERVICE("service name", "^[a-z][a-z0-9_-]{0,62}$", "backend");

        private final String label;
        private final Pattern pattern;
        private final String example;

        Kind(String label, String regex, String example) {
            this.label = label;
            this.pattern = Pattern.compile(regex);
            this.example = example;
        }

        /** What the kind is called in messages, e.g. "backup id". */
        public String label() {
            return label;
        }

        /** The anchored regular expression (Java and Python/Jinja {@code match} read it the same way). */
        public String regex() {
            return pattern.pattern();
        }

        public String example() {
            return example;
        }

        /** True when the whole value matches (null never does). */
        public boolean matches(String value) {
            return value != null && pattern.matcher(value).matches();
        }
    }

    /** A value that does not match its kind's pattern; the message names what, the value and the pattern. */
    public static final class Invalid extends EngineException {
        private final transient Kind kind;

        Invalid(String what, Kind kind, String value) {
            super(SourceLocation.UNKNOWN, what + " " + shown(value) + " is not a valid " + kind.label()
                    + ": it must match " + kind.regex() + " (e.g. " + kind.example() + ")",
                    "nothing was sent to any host; identifiers reach paths and shell commands on the customer's"
                            + " server, so only these characters are accepted");
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * Returns {@code value} when it matches {@code kind}'s pattern.
     *
     * @param what how the user gave it, for the message (e.g. {@code --to}, {@code -e version})
     * @throws Invalid when it does not
     */
    public static String check(String what, Kind kind, String value) {
        if (!kind.matches(value)) {
            throw new Invalid(what, kind, value);
        }
        return value;
    }

    /**
     * The value as it is shown in an error: single-quoted, control characters escaped (so the error stays one line
     * and cannot move the cursor), cut after 80 characters.
     */
    static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder("'");
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (n++ == 80) {
                b.append("...");
                break;
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
