package io.budgetctl.lifecycle.fleet;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A customer's maintenance window from its client file ({@code maintenance: {days, start, end, timezone}}): on each
 * listed day the window opens at {@code start} local time and closes at {@code end}; an {@code end} at or before
 * {@code start} closes the next day (a window that opens on Saturday 22:00 and ends 04:00 runs into Sunday). The day
 * is the day the window opens. Times are in {@code zone} (UTC when the file names none).
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    public MaintenanceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zone, "zone");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("a maintenance window needs at least one day");
        }
        days = Set.copyOf(days);
    }

    /**
     * From the schema's values: day names {@code mon..sun}, times {@code HH:MM}, an IANA zone or null for UTC.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static MaintenanceWindow of(List<String> dayNames, String start, String end, String zone) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : dayNames) {
            int i = DAY_NAMES.indexOf(d.toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new IllegalArgumentException("unknown day '" + d + "' (mon, tue, wed, thu, fri, sat, sun)");
            }
            days.add(DayOfWeek.of(i + 1));
        }
        ZoneId z;
        try {
            z = zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "' (an IANA name such as Europe/Moscow)");
        }
        return new MaintenanceWindow(days, time(start), time(end), z);
    }

    private static LocalTime time(String hhmm) {
        try {
            return LocalTime.parse(hhmm);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("bad time '" + hhmm + "' (HH:MM, e.g. \"22:00\")");
        }
    }

    /** True when {@code at} falls inside one of the window's openings: {@code [start, end)}. */
    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        // an opening that began yesterday may still be running (overnight windows), or one that began today
        for (LocalDate day : List.of(local.toLocalDate().minusDays(1), local.toLocalDate())) {
            if (days.contains(day.getDayOfWeek())) {
                Instant open = opening(day);
                if (!at.isBefore(open) && at.isBefore(closing(day))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code at} itself when the window is open, else the next time it opens (within the coming week). */
    public Instant nextOpening(Instant at) {
        if (isOpen(at)) {
            return at;
        }
        LocalDate day = at.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            LocalDate d = day.plusDays(i);
            if (days.contains(d.getDayOfWeek()) && opening(d).isAfter(at)) {
                return opening(d);
            }
        }
        throw new IllegalStateException("no opening within a week of " + at + " for " + this);
    }

    /** When the opening that contains {@code at} closes; {@code at} when the window is not open. */
    public Instant closesAfter(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        for (LocalDate day : List.of(local.toLocalDate().minusDays(1), local.toLocalDate())) {
            if (days.contains(day.getDayOfWeek()) && !at.isBefore(opening(day)) && at.isBefore(closing(day))) {
                return closing(day);
            }
        }
        return at;
    }

    private Instant opening(LocalDate day) {
        return day.atTime(start).atZone(zone).toInstant();
    }

    private Instant closing(LocalDate day) {
        LocalDate endDay = end.isAfter(start) ? day : day.plusDays(1);
        return endDay.atTime(end).atZone(zone).toInstant();
    }

    /** How long the window stays open once opened. */
    public Duration length() {
        Duration d = Duration.between(start, end);
        return d.isNegative() || d.isZero() ? d.plusDays(1) : d;
    }

    /** As written in the client file, e.g. {@code sat,sun 22:00-04:00 Europe/Moscow}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.contains(d)) {
                sb.append(sb.length() == 0 ? "" : ",").append(DAY_NAMES.get(d.getValue() - 1));
            }
        }
        return sb + " " + start + "-" + end + " " + zone.getId();
    }
}
