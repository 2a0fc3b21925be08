package io.budgetctl.engine.template;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Python's naive {@code datetime.datetime}, as templates meet it: {@code now()} and the {@code to_datetime} filter
 * return one. It prints as Python's {@code str()} ({@code 2026-12-07 15:30:12} or {@code ...:12.000500}), has the
 * attributes {@code year month day hour minute second microsecond} and the methods {@code strftime(fmt)},
 * {@code isoformat(sep='T')}, {@code timestamp()} (local time, as Python's naive datetimes), {@code weekday()},
 * {@code isoweekday()}; two of them compare, and subtract to a {@link PyTimeDelta}. Public only because Jinjava reaches
 * attributes and methods by reflection; not an API.
 */
public final class PyDateTime implements Comparable<PyDateTime> {
    private final LocalDateTime value;

    PyDateTime(LocalDateTime value) {
        this.value = value.truncatedTo(ChronoUnit.MICROS);
    }

    LocalDateTime value() {
        return value;
    }

    public long getYear() {
        return value.getYear();
    }

    public long getMonth() {
        return value.getMonthValue();
    }

    public long getDay() {
        return value.getDayOfMonth();
    }

    public long getHour() {
        return value.getHour();
    }

    public long getMinute() {
        return value.getMinute();
    }

    public long getSecond() {
        return value.getSecond();
    }

    public long getMicrosecond() {
        return value.getNano() / 1000;
    }

    public String strftime(String format) {
        return PyTime.strftime(format, value, null, true);
    }

    public String isoformat() {
        return isoformat("T");
    }

    public String isoformat(String sep) {
        String time = String.format("%02d:%02d:%02d", value.getHour(), value.getMinute(), value.getSecond());
        return String.format("%04d-%02d-%02d", value.getYear(), value.getMonthValue(), value.getDayOfMonth()) + sep
                + time + (getMicrosecond() == 0 ? "" : String.format(".%06d", getMicrosecond()));
    }

    /** Seconds since the epoch, taking this naive value as the controller's local time (Python does the same). */
    public double timestamp() {
        return value.atZone(ZoneId.systemDefault()).toEpochSecond() + getMicrosecond() / 1e6;
    }

    public long weekday() {
        return value.getDayOfWeek().getValue() - 1L;
    }

    public long isoweekday() {
        return value.getDayOfWeek().getValue();
    }

    /** Python's {@code repr()}: {@code datetime.datetime(2026, 12, 7, 15, 30, 12)}. */
    String repr() {
        StringBuilder sb = new StringBuilder("datetime.datetime(").append(value.getYear()).append(", ")
                .append(value.getMonthValue()).append(", ").append(value.getDayOfMonth()).append(", ")
                .append(value.getHour()).append(", ").append(value.getMinute());
        if (value.getSecond() != 0 || getMicrosecond() != 0) {
            sb.append(", ").append(value.getSecond());
        }
        if (getMicrosecond() != 0) {
            sb.append(", ").append(getMicrosecond());
        }
        return sb.append(')').toString();
    }

    PyTimeDelta minus(PyDateTime other) {
        return new PyTimeDelta(ChronoUnit.MICROS.between(other.value, value));
    }

    @Override
    public int compareTo(PyDateTime o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyDateTime d && d.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Python's {@code str()}. */
    @Override
    public String toString() {
        return isoformat(" ");
    }
}
