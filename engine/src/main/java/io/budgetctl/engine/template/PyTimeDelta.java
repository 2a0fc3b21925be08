package io.budgetctl.engine.template;

/**
 * Python's {@code datetime.timedelta}, the difference of two {@link PyDateTime}s: {@code days}, {@code seconds}
 * (0..86399), {@code microseconds}, {@code total_seconds()}, and Python's {@code str()} ({@code 1 day, 2:03:04},
 * {@code -1 day, 23:59:59.500000}). Public only because Jinjava reaches attributes and methods by reflection.
 */
public final class PyTimeDelta implements Comparable<PyTimeDelta> {
    private static final long DAY = 86_400_000_000L;

    private final long micros;

    PyTimeDelta(long micros) {
        this.micros = micros;
    }

    public long getDays() {
        return Math.floorDiv(micros, DAY);
    }

    public long getSeconds() {
        return Math.floorMod(micros, DAY) / 1_000_000L;
    }

    public long getMicroseconds() {
        return Math.floorMod(micros, 1_000_000L);
    }

    public double total_seconds() {
        return micros / 1e6;
    }

    public double totalSeconds() {
        return total_seconds();
    }

    String repr() {
        StringBuilder sb = new StringBuilder("datetime.timedelta(");
        String sep = "";
        if (getDays() != 0) {
            sb.append("days=").append(getDays());
            sep = ", ";
        }
        if (getSeconds() != 0) {
            sb.append(sep).append("seconds=").append(getSeconds());
            sep = ", ";
        }
        if (getMicroseconds() != 0) {
            sb.append(sep).append("microseconds=").append(getMicroseconds());
        }
        if (micros == 0) {
            sb.append('0');
        }
        return sb.append(')').toString();
    }

    @Override
    public int compareTo(PyTimeDelta o) {
        return Long.compare(micros, o.micros);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyTimeDelta d && d.micros == micros;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(micros);
    }

    @Override
    public String toString() {
        long days = getDays();
        long s = getSeconds();
        String out = "";
        if (days != 0) {
            out = days + (Math.abs(days) == 1 ? " day, " : " days, ");
        }
        out += String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        if (getMicroseconds() != 0) {
            out += String.format(".%06d", getMicroseconds());
        }
        return out;
    }
}
