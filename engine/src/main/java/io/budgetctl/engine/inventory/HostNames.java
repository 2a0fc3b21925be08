package io.budgetctl.engine.inventory;

import java.util.regex.Pattern;

/**
 * {@code inventory_hostname_short} as ansible-core 2.14 gives it (Host.get_magic_vars): a name its address patterns
 * (parsing/utils/addresses.py) take for an IPv4 or IPv6 address is kept whole, any other name is cut at its first dot.
 * The patterns are Ansible's as written, [x:y] ranges included, and so are their quirks: an IPv4 part may have a
 * leading zero ({@code 10.0.0.05} is kept whole, {@code 256.1.1.1} is not an address and gives {@code 256}), and
 * every IPv6 alternative but the last is anchored at the start only ({@code fe80::1.example.com} is kept whole).
 */
public final class HostNames {
    private static final String IPV4_PART = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|\\[[0-9]+:[0-9]+(?::[0-9]+)?\\])";
    private static final String IPV6_PART = "(?:[0-9a-f]{1,4}|\\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\\])";
    private static final Pattern IPV4 = Pattern.compile("(?:" + IPV4_PART + "\\.){3}" + IPV4_PART + "$");
    /** Python's {@code ^a|b|...|z$} under re.match: each alternative from the start, only the last to the end. */
    private static final Pattern IPV6 = Pattern.compile(String.join("|",
            "(?:%1$s:){7}%1$s", "(?:%1$s:){1,6}:", "(?:%1$s:)(?::%1$s){1,6}", "(?:%1$s:){2}(?::%1$s){1,5}",
            "(?:%1$s:){3}(?::%1$s){1,4}", "(?:%1$s:){4}(?::%1$s){1,3}", "(?:%1$s:){5}(?::%1$s){1,2}",
            "(?:%1$s:){6}(?::%1$s)", ":(?::%1$s){1,6}", "%1$s?::", "(?:0:){6}(?:%1$s\\.){3}%1$s",
            "::(?:ffff:)?(?:%1$s\\.){3}%1$s", "(?:0:){5}ffff:(?:%1$s\\.){3}%1$s$").formatted(IPV6_PART),
            Pattern.CASE_INSENSITIVE);

    private HostNames() {
    }

    /** The host's {@code inventory_hostname_short}. */
    public static String shortName(String host) {
        if (IPV4.matcher(host).lookingAt() || IPV6.matcher(host).lookingAt()) {
            return host;
        }
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }
}
