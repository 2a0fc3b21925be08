package io.budgetctl.engine.yaml;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Resolves plain scalars the way Ansible sees them: YAML 1.1 as implemented by PyYAML's SafeLoader, not the YAML 1.2
 * core schema that snakeyaml-engine uses by default.
 *
 * <ul>
 *   <li>booleans: {@code yes/Yes/YES/no/No/NO/true/True/TRUE/false/False/FALSE/on/On/ON/off/Off/OFF}
 *       ({@code y}, {@code n} and {@code tRue} stay strings, as in PyYAML);</li>
 *   <li>integers: decimal, {@code 0b101}, {@code 0x1F}, octal with a leading zero ({@code 0644} is 420, {@code 08}
 *       stays the string "08"), underscores ({@code 1_000}) and base 60 ({@code 1:30} is 90);</li>
 *   <li>floats need a dot and a signed exponent ({@code 1.0e+3}; {@code 1e3} stays a string), plus
 *       {@code .inf/.nan};</li>
 *   <li>null: {@code ~}, {@code null/Null/NULL}, empty; {@code <<} is the merge key.</li>
 * </ul>
 * Timestamps ({@code 2024-01-01}) stay strings: PyYAML makes them dates, which Ansible prints as the same text.
 *
 * <p>Plug it in with {@code LoadSettings.builder().setSchema(Yaml11Resolver.schema())}; {@link #construct} turns a
 * scalar node into its Java value (Boolean, Integer/Long/BigInteger, Double, String or null).
 */
public final class Yaml11Resolver implements ScalarResolver {

    static final Pattern BOOL = Pattern.compile(
            "^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");
    static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN))$");
    static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$");
    static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");
    static final Pattern MERGE = Pattern.compile("^<<$");

    private static final Yaml11Resolver INSTANCE = new Yaml11Resolver();

    /** The shared, stateless resolver. */
    public static Yaml11Resolver instance() {
        return INSTANCE;
    }

    @Override
    public Tag resolve(String value, Boolean implicit) {
        if (!Boolean.TRUE.equals(implicit)) {
            return Tag.STR;
        }
        if (BOOL.matcher(value).matches()) {
            return Tag.BOOL;
        }
        if (FLOAT.matcher(value).matches()) {
            return Tag.FLOAT;
        }
        if (INT.matcher(value).matches()) {
            return Tag.INT;
        }
        if (NULL.matcher(value).matches()) {
            return Tag.NULL;
        }
        if (MERGE.matcher(value).matches()) {
            return Tag.MERGE;
        }
        return Tag.STR;
    }

    /** A schema using this resolver and the matching constructors, for snakeyaml-engine's {@code Load} API. */
    public static Schema schema() {
        return new Schema() {
            @Override
            public ScalarResolver getScalarResolver() {
                return INSTANCE;
            }

            @Override
            public Map<Tag, ConstructNode> getSchemaTagConstructors() {
                ConstructNode c = node -> construct((ScalarNode) node);
                return Map.of(Tag.BOOL, c, Tag.INT, c, Tag.FLOAT, c, Tag.NULL, c);
            }
        };
    }

    /** The Java value of a scalar node according to its (resolved or explicit) tag. */
    public static Object construct(ScalarNode node) {
        return construct(node.getTag(), node.getValue());
    }

    /**
     * The Java value of {@code text} under {@code tag}. For an explicit tag that does not fit ({@code !!int abc})
     * this throws {@link NumberFormatException} / {@link IllegalArgumentException}; callers report the node.
     */
    public static Object construct(Tag tag, String text) {
        if (Tag.BOOL.equals(tag)) {
            return toBool(text);
        }
        if (Tag.INT.equals(tag)) {
            return toInt(text);
        }
        if (Tag.FLOAT.equals(tag)) {
            return toFloat(text);
        }
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        return text;
    }

    /** The value an unquoted (plain) scalar with this text has, e.g. {@code "0644"} gives 420. */
    public static Object resolveAndConstruct(String plainText) {
        return construct(INSTANCE.resolve(plainText, true), plainText);
    }

    static Boolean toBool(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> {
                return Boolean.TRUE;
            }
            case "no", "false", "off" -> {
                return Boolean.FALSE;
            }
            default -> throw new IllegalArgumentException("not a YAML 1.1 boolean: " + text);
        }
    }

    static Number toInt(String text) {
        String v = text.replace("_", "");
        int sign = 1;
        if (v.startsWith("-")) {
            sign = -1;
            v = v.substring(1);
        } else if (v.startsWith("+")) {
            v = v.substring(1);
        }
        BigInteger n;
        if (v.equals("0")) {
            n = BigInteger.ZERO;
        } else if (v.startsWith("0b")) {
            n = new BigInteger(v.substring(2), 2);
        } else if (v.startsWith("0x")) {
            n = new BigInteger(v.substring(2), 16);
        } else if (v.startsWith("0")) {
            n = new BigInteger(v, 8);
        } else if (v.contains(":")) {
            n = BigInteger.ZERO;
            for (String part : v.split(":")) {
                n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
        } else {
            n = new BigInteger(v);
        }
        if (sign < 0) {
            n = n.negate();
        }
        return narrow(n);
    }

    static Number narrow(BigInteger n) {
        if (n.bitLength() < 32) {
            return n.intValue();
        }
        if (n.bitLength() < 64) {
            return n.longValue();
        }
        return n;
    }

    static Double toFloat(String text) {
        String v = text.replace("_", "").toLowerCase(Locale.ROOT);
        double sign = 1;
        if (v.startsWith("-")) {
            sign = -1;
            v = v.substring(1);
        } else if (v.startsWith("+")) {
            v = v.substring(1);
        }
        if (v.equals(".inf")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        if (v.equals(".nan")) {
            return Double.NaN;
        }
        if (v.contains(":")) {
            String[] parts = v.split(":");
            double d = 0;
            for (int i = 0; i < parts.length - 1; i++) {
                d = d * 60 + Long.parseLong(parts[i]);
            }
            d = d * 60 + Double.parseDouble(parts[parts.length - 1]);
            return sign * d;
        }
        return sign * Double.parseDouble(v);
    }
}
