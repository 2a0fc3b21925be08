package io.budgetctl.engine.template;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python's printf-style {@code "%s-%05d" % (a, b)}, which Jinja2's format filter uses. */
final class PyFormat {
    private static final Pattern SPEC = Pattern.compile("%(?:\\((\\w+)\\))?([-+ 0#]*)(\\d+)?(?:\\.(\\d+))?([sdirfFeExXoc%])");

    private PyFormat() {
    }

    /** Python's '%.Nf': the exact binary value rounded half-to-even ('%.1f' % 0.25 is 0.2; Java's gives 0.3). */
    private static String fixed(double d, int prec) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        }
        String out = new java.math.BigDecimal(d).setScale(prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return (d < 0 || 1 / d < 0) && !out.startsWith("-") ? "-" + out : out;
    }

    static String percent(String format, List<Object> args) {
        Matcher m = SPEC.matcher(format);
        StringBuilder sb = new StringBuilder();
        int next = 0;
        while (m.find()) {
            char conv = m.group(5).charAt(0);
            if (conv == '%') {
                m.appendReplacement(sb, "%");
                continue;
            }
            Object arg;
            if (m.group(1) != null) {
                if (args.isEmpty() || !(args.get(0) instanceof Map<?, ?> map)) {
                    throw new TemplateFailure("format requires a mapping", null);
                }
                arg = map.get(m.group(1));
            } else {
                if (next >= args.size()) {
                    throw new TemplateFailure("not enough arguments for format string", null);
                }
                arg = args.get(next++);
            }
            String flags = m.group(2);
            String width = m.group(3);
            String prec = m.group(4);
            String body = switch (conv) {
                case 's' -> prec == null ? Py.str(arg) : Py.str(arg).substring(0, Math.min(Py.str(arg).length(),
                        Integer.parseInt(prec)));
                case 'r' -> Py.repr(arg);
                case 'd', 'i' -> Long.toString(arg instanceof Boolean b ? (b ? 1 : 0) : ((Number) arg).longValue());
                case 'f', 'F' -> fixed(((Number) arg).doubleValue(), prec == null ? 6 : Integer.parseInt(prec));
                case 'e', 'E' -> pyExp(String.format("%." + (prec == null ? 6 : Integer.parseInt(prec)) + "e",
                        ((Number) arg).doubleValue()), conv == 'E');
                case 'x' -> Long.toHexString(((Number) arg).longValue());
                case 'X' -> Long.toHexString(((Number) arg).longValue()).toUpperCase();
                case 'o' -> Long.toOctalString(((Number) arg).longValue());
                case 'c' -> arg instanceof Number n ? new String(Character.toChars(n.intValue())) : Py.str(arg);
                default -> throw new TemplateFailure("unsupported format character '" + conv + "'", null);
            };
            if (flags.contains("+") && "dif".indexOf(conv) >= 0 && !body.startsWith("-")) {
                body = "+" + body;
            }
            if (width != null && body.length() < Integer.parseInt(width)) {
                int pad = Integer.parseInt(width) - body.length();
                if (flags.contains("-")) {
                    body = body + " ".repeat(pad);
                } else if (flags.contains("0") && conv != 's' && conv != 'r') {
                    boolean neg = body.startsWith("-") || body.startsWith("+");
                    body = (neg ? body.substring(0, 1) : "") + "0".repeat(pad) + (neg ? body.substring(1) : body);
                } else {
                    body = " ".repeat(pad) + body;
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(body));
        }
        m.appendTail(sb);
        if (next < args.size() && !(args.size() == 1 && args.get(0) instanceof Map)) {
            throw new TemplateFailure("not all arguments converted during string formatting", null);
        }
        return sb.toString();
    }

    private static String pyExp(String javaExp, boolean upper) {
        // Java: 1.500000e+00 already matches Python's two-digit exponent
        return upper ? javaExp.toUpperCase() : javaExp;
    }
}
