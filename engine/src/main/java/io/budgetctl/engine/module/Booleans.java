package io.budgetctl.engine.module;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ansible's two boolean conversions, in one place.
 * <ul>
 *   <li>{@link #strict}: module arguments of type bool ({@code module_utils/parsing/convert_bool.boolean}):
 *   BOOLEANS_TRUE {@code y yes on 1 true t} and BOOLEANS_FALSE {@code n no off 0 false f}, any case, surrounding
 *   blanks ignored; the numbers 1/1.0 and 0/0.0; anything else (the empty string too) is an error.</li>
 *   <li>{@link #filter}: the {@code bool} Jinja filter ({@code plugins/filter/core.to_bool}), which Ansible keeps
 *   lenient on purpose: {@code yes on 1 true} (any case) and the number 1 are true, everything else false, None
 *   stays None.</li>
 * </ul>
 */
public final class Booleans {
    /** BOOLEANS_TRUE of ansible.module_utils.parsing.convert_bool (the strings; 1, 1.0 and True are handled apart). */
    public static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    /** BOOLEANS_FALSE (the strings; 0, 0.0 and False are handled apart). */
    public static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");

    /** How Ansible lists them in its error message (its frozenset order varies; this one is fixed). */
    static final List<String> LISTED = List.of("'y'", "'yes'", "'on'", "'1'", "'true'", "'t'", "1", "1.0", "True",
            "'n'", "'no'", "'off'", "'0'", "'false'", "'f'", "0", "0.0", "False");

    private Booleans() {
    }

    /**
     * A module argument as a boolean.
     *
     * @throws IllegalArgumentException with Ansible's reason ("The value 'maybe' is not a valid boolean. ...") for
     *                                  anything but the spellings above
     */
    public static boolean strict(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n && !(value instanceof Float || value instanceof Double)) {
            if (n.longValue() == 1) {
                return true;
            }
            if (n.longValue() == 0) {
                return false;
            }
        } else if (value instanceof Number n) {
            if (n.doubleValue() == 1.0) {
                return true;
            }
            if (n.doubleValue() == 0.0) {
                return false;
            }
        } else if (value instanceof CharSequence s) {
            String v = s.toString().strip().toLowerCase(Locale.ROOT);
            if (TRUE.contains(v)) {
                return true;
            }
            if (FALSE.contains(v)) {
                return false;
            }
        } else if (value != null) {
            throw new IllegalArgumentException(PyTypes.classOf(value) + " cannot be converted to a bool");
        }
        throw new IllegalArgumentException("The value '" + value + "' is not a valid boolean.  Valid booleans"
                + " include: " + String.join(", ", LISTED));
    }

    /** The {@code bool} filter: null stays null; {@code yes on 1 true} (any case) and 1 are true; else false. */
    public static Boolean filter(Object value, String asPythonStr) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof CharSequence) {
            String s = asPythonStr.toLowerCase(Locale.ROOT);
            return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
        }
        return value instanceof Number n && n.doubleValue() == 1.0;
    }
}
