package io.budgetctl.cli.differential;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PLAY RECAP of a run as host -> "ok=.. changed=.. ..." (normalised spacing), parsed from console output. */
final class Recap {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Pattern LINE = Pattern.compile("^(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+"
            + "unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)\\s+ignored=(\\d+)\\s*$");

    private Recap() {
    }

    /** Recap lines after the last "PLAY RECAP" banner, in the order printed; empty when there is none. */
    static Map<String, String> parse(String output) {
        String text = ANSI.matcher(output).replaceAll("");
        int at = text.lastIndexOf("PLAY RECAP");
        Map<String, String> recap = new LinkedHashMap<>();
        if (at < 0) {
            return recap;
        }
        for (String line : text.substring(at).split("\\R")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                recap.put(m.group(1), String.format("ok=%s changed=%s unreachable=%s failed=%s skipped=%s rescued=%s ignored=%s",
                        m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)));
            }
        }
        return recap;
    }

    /** Hosts whose changed count is not 0. */
    static java.util.List<String> changedHosts(Map<String, String> recap) {
        return recap.entrySet().stream().filter(e -> !e.getValue().contains(" changed=0 ")).map(Map.Entry::getKey)
                .toList();
    }
}
