package io.budgetctl.lifecycle.fleet;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a selection into waves, keeping the selection's order inside each wave.
 * <ul>
 *   <li>{@link #single}: one wave with everyone (no {@code --waves}/{@code --waves-by}).</li>
 *   <li>{@link #byTag}: {@code --waves-by ring}: one wave per value of the tag, in ascending order (numerically when
 *       every value is a number); customers without the tag form a last wave {@code ring=(unset)}.</li>
 *   <li>{@link #bySizes}: {@code --waves 1,10%,rest}: a count, a percentage of the selection (rounded up, at least
 *       one) or {@code rest} (everyone left; only as the last item). As with Ansible's {@code serial} list, when the
 *       sizes run out before the customers do, the last size repeats.</li>
 * </ul>
 */
public final class Waves {
    private Waves() {
    }

    public static List<Wave> single(List<FleetCustomer> customers) {
        return List.of(new Wave(1, "all", customers));
    }

    public static List<Wave> byTag(List<FleetCustomer> customers, String tag) {
        if (tag == null || tag.isBlank()) {
            throw new EngineException(SourceLocation.of("--waves-by"), "empty tag name",
                    "name a client file tag, e.g. --waves-by ring");
        }
        boolean numeric = customers.stream().map(c -> c.tags().get(tag))
                .allMatch(v -> v == null || v.matches("-?[0-9]+"));
        Comparator<String> order = numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
        Map<String, List<FleetCustomer>> groups = new TreeMap<>(order);
        List<FleetCustomer> unset = new ArrayList<>();
        for (FleetCustomer c : customers) {
            String v = c.tags().get(tag);
            if (v == null) {
                unset.add(c);
            } else {
                groups.computeIfAbsent(v, k -> new ArrayList<>()).add(c);
            }
        }
        List<Wave> waves = new ArrayList<>();
        groups.forEach((v, cs) -> waves.add(new Wave(waves.size() + 1, tag + "=" + v, cs)));
        if (!unset.isEmpty()) {
            waves.add(new Wave(waves.size() + 1, tag + "=(unset)", unset));
        }
        return waves;
    }

    /**
     * @throws EngineException for an item that is not a positive count, a percentage in 1..100 or {@code rest}, or
     *                         {@code rest} before the last item
     */
    public static List<Wave> bySizes(List<FleetCustomer> customers, String spec) {
        String[] items = spec == null ? new String[0] : spec.split(",");
        List<String> sizes = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            String it = items[i].strip().toLowerCase(java.util.Locale.ROOT);
            if (it.equals("rest") ? i != items.length - 1 : !it.matches("[0-9]{1,6}%?") || size(it, 1) <= 0
                    || it.endsWith("%") && Integer.parseInt(it.substring(0, it.length() - 1)) > 100) {
                throw new EngineException(SourceLocation.of("--waves"), "bad wave size '" + items[i].strip()
                        + "' in '" + spec + "'", "use counts, percentages and a final 'rest', e.g. --waves 1,10%,rest");
            }
            sizes.add(it);
        }
        if (sizes.isEmpty()) {
            throw new EngineException(SourceLocation.of("--waves"), "no wave sizes given",
                    "e.g. --waves 1,10%,rest");
        }
        List<Wave> waves = new ArrayList<>();
        int next = 0;
        int total = customers.size();
        while (next < total) {
            String s = sizes.get(Math.min(waves.size(), sizes.size() - 1));
            int n = s.equals("rest") ? total - next : Math.min(size(s, total), total - next);
            waves.add(new Wave(waves.size() + 1, s, customers.subList(next, next + n)));
            next += n;
        }
        return waves;
    }

    private static int size(String item, int total) {
        if (item.endsWith("%")) {
            long pct = Long.parseLong(item.substring(0, item.length() - 1));
            return (int) Math.max(pct == 0 ? 0 : 1, (pct * total + 99) / 100);
        }
        try {
            return Integer.parseInt(item);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
