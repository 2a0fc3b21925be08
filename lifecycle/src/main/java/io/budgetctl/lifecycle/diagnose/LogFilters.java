package io.budgetctl.lifecycle.diagnose;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.ProductServices;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which log lines {@code status --logs} and {@code diagnose} ask the host for, checked before anything is sent:
 * {@code --since} (a duration back from now, or a point in time) and {@code --service} (one of the product's
 * services). Values reach {@code docker logs} on the customer's server, so only what is checked here goes there, in
 * one normalised shape the playbooks assert again: {@code <seconds>s} or an RFC 3339 UTC time
 * ({@code 2026-12-05T10:00:00Z}).
 */
public final class LogFilters {
    /** The services whose logs can be asked for: the product's ({@link ProductServices#ALL}). */
    public static final List<String> SERVICES = ProductServices.ALL;

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})([smhd])");
    private static final long MAX_SECONDS = 366L * 24 * 3600;

    private LogFilters() {
    }

    /**
     * {@code value} as the host gets it: a duration ({@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}, combined as
     * {@code 1h30m}; at most a year) becomes {@code <seconds>s}; an ISO time ({@code 2026-12-05T10:00:00Z}, with an
     * offset, or a date {@code 2026-12-05} meaning its start in UTC) becomes the UTC time to the second. Null or
     * blank: null (all lines).
     *
     * @throws EngineException naming {@code option}, the value and the accepted forms
     */
    public static String since(String option, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        Matcher m = DURATION.matcher(v);
        long seconds = 0;
        int end = 0;
        while (m.lookingAt()) {
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n * 86400;
            };
            end = m.end();
            m.region(end, v.length());
        }
        if (end > 0 && end == v.length()) {
            if (seconds == 0 || seconds > MAX_SECONDS) {
                throw bad(option, value, "a duration between 1s and 366d");
            }
            return seconds + "s";
        }
        Instant at = instant(v);
        if (at == null) {
            throw bad(option, value, "a duration (90s, 10m, 2h, 7d, 1h30m) or an ISO time (2026-12-05T10:00:00Z,"
                    + " 2026-12-05T11:00:00+01:00, 2026-12-05)");
        }
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Instant instant(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The services named (each option value may hold several, comma-separated), in the order given, each once.
     *
     * @throws EngineException for a name that is not one of {@link #SERVICES}
     */
    public static List<String> services(String option, List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values == null ? List.<String>of() : values) {
            for (String s : v.split(",", -1)) {
                String name = s.strip();
                if (!SERVICES.contains(name)) {
                    throw new EngineException(SourceLocation.UNKNOWN, option + " '" + name
                            + "' is not a service of IT Budget Manager: it must be one of "
                            + String.join(", ", SERVICES),
                            "nothing was sent to any host; budgetctl status --client X lists the services that run");
                }
                out.add(name);
            }
        }
        return new ArrayList<>(out);
    }

    private static EngineException bad(String option, String value, String accepted) {
        return new EngineException(SourceLocation.UNKNOWN, option + " '" + value + "' is not " + accepted,
                "nothing was sent to any host; the value reaches docker logs --since on the customer's server, so"
                        + " only these forms are accepted");
    }
}
