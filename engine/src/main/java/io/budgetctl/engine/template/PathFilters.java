package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code basename} and {@code dirname}, as Python's posixpath: only {@code /} separates, and a {@code dirname} that
 * is all slashes (the root) keeps them. {@code path_join} and {@code splitext} are with AnsibleDataFilters.
 */
final class PathFilters {
    private PathFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("basename", "", false, (v, a) -> {
            String s = Py.str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        }));
        f.add(Fn.filter("dirname", "", false, (v, a) -> {
            String s = Py.str(v);
            int i = s.lastIndexOf('/') + 1;
            String head = s.substring(0, i);
            if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                head = head.replaceAll("/+$", "");
            }
            return head;
        }));
        return f;
    }
}
