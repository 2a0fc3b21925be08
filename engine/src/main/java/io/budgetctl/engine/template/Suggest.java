package io.budgetctl.engine.template;

import io.budgetctl.engine.module.Levenshtein;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "did you mean" hints for unknown filters, tests and lookups. */
final class Suggest {
    private Suggest() {
    }

    static String nearest(String name, Collection<String> known) {
        List<String> best = known.stream().distinct()
                .filter(k -> Levenshtein.distance(name, k) <= Math.max(2, name.length() / 3))
                .sorted(Comparator.comparingInt((String k) -> Levenshtein.distance(name, k)).thenComparing(k -> k))
                .limit(3).toList();
        if (best.isEmpty()) {
            return "see docs/templating.md for the filters, tests and lookups budgetctl knows";
        }
        return "did you mean " + String.join(", ", best.stream().map(b -> "'" + b + "'").toList()) + "?";
    }
}
