package io.budgetctl.engine.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A unified diff that matches Python's {@code difflib.unified_diff} line for line (which is what Ansible's --diff
 * shows): the same longest-matching-block search, the same "popular line" heuristic for inputs of 200+ lines, the
 * same grouping of changes into hunks with {@code context} lines around them. A different algorithm (Myers) is
 * equally correct but places hunks differently in ambiguous cases, and then the output would not look like
 * Ansible's.
 */
final class UnifiedDiff {
    private final List<String> a;
    private final List<String> b;
    private final Map<String, List<Integer>> b2j = new HashMap<>();

    private UnifiedDiff(List<String> a, List<String> b) {
        this.a = a;
        this.b = b;
        for (int j = 0; j < b.size(); j++) {
            b2j.computeIfAbsent(b.get(j), k -> new ArrayList<>()).add(j);
        }
        int n = b.size();
        if (n >= 200) {
            int limit = n / 100 + 1;
            b2j.values().removeIf(idx -> idx.size() > limit);
        }
    }

    /**
     * The diff lines (each ending as its input line ends), or an empty list when a and b are equal. Lines keep their
     * terminators; the header lines end with a newline.
     */
    static List<String> diff(List<String> a, List<String> b, String fromFile, String toFile, int context) {
        List<List<int[]>> groups = new UnifiedDiff(a, b).groupedOpcodes(context);
        List<String> out = new ArrayList<>();
        for (List<int[]> group : groups) {
            if (out.isEmpty()) {
                out.add("--- " + fromFile + "\n");
                out.add("+++ " + toFile + "\n");
            }
            int[] first = group.get(0);
            int[] last = group.get(group.size() - 1);
            out.add("@@ -" + range(first[1], last[2]) + " +" + range(first[3], last[4]) + " @@\n");
            for (int[] op : group) {
                if (op[0] == EQUAL) {
                    for (int i = op[1]; i < op[2]; i++) {
                        out.add(" " + a.get(i));
                    }
                    continue;
                }
                if (op[0] == REPLACE || op[0] == DELETE) {
                    for (int i = op[1]; i < op[2]; i++) {
                        out.add("-" + a.get(i));
                    }
                }
                if (op[0] == REPLACE || op[0] == INSERT) {
                    for (int j = op[3]; j < op[4]; j++) {
                        out.add("+" + b.get(j));
                    }
                }
            }
        }
        return out;
    }

    /** Python's {@code str.splitlines(keepends=True)} for \n, \r\n and \r. */
    static List<String> splitLinesKeepEnds(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                    i++;
                }
                lines.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    private static String range(int start, int stop) {
        int beginning = start + 1;
        int length = stop - start;
        if (length == 1) {
            return Integer.toString(beginning);
        }
        if (length == 0) {
            beginning--;
        }
        return beginning + "," + length;
    }

    static final int EQUAL = 0;
    static final int REPLACE = 1;
    static final int DELETE = 2;
    static final int INSERT = 3;

    /** Longest block a[i..i+k) == b[j..j+k) inside the given ranges, earliest in a, then in b. */
    private int[] longestMatch(int alo, int ahi, int blo, int bhi) {
        int besti = alo;
        int bestj = blo;
        int bestsize = 0;
        Map<Integer, Integer> j2len = new HashMap<>();
        for (int i = alo; i < ahi; i++) {
            Map<Integer, Integer> next = new HashMap<>();
            for (int j : b2j.getOrDefault(a.get(i), List.of())) {
                if (j < blo) {
                    continue;
                }
                if (j >= bhi) {
                    break;
                }
                int k = j2len.getOrDefault(j - 1, 0) + 1;
                next.put(j, k);
                if (k > bestsize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestsize = k;
                }
            }
            j2len = next;
        }
        // popular lines were left out of the index: grow the block over equal neighbours
        while (besti > alo && bestj > blo && a.get(besti - 1).equals(b.get(bestj - 1))) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi
                && a.get(besti + bestsize).equals(b.get(bestj + bestsize))) {
            bestsize++;
        }
        return new int[] {besti, bestj, bestsize};
    }

    private List<int[]> matchingBlocks() {
        List<int[]> blocks = new ArrayList<>();
        Deque<int[]> todo = new ArrayDeque<>();
        todo.push(new int[] {0, a.size(), 0, b.size()});
        while (!todo.isEmpty()) {
            int[] r = todo.pop();
            int[] m = longestMatch(r[0], r[1], r[2], r[3]);
            int i = m[0];
            int j = m[1];
            int k = m[2];
            if (k > 0) {
                blocks.add(m);
                if (r[0] < i && r[2] < j) {
                    todo.push(new int[] {r[0], i, r[2], j});
                }
                if (i + k < r[1] && j + k < r[3]) {
                    todo.push(new int[] {i + k, r[1], j + k, r[3]});
                }
            }
        }
        blocks.sort(Comparator.<int[]>comparingInt(x -> x[0]).thenComparingInt(x -> x[1]));
        List<int[]> merged = new ArrayList<>();
        int i1 = 0;
        int j1 = 0;
        int k1 = 0;
        for (int[] blk : blocks) {
            if (i1 + k1 == blk[0] && j1 + k1 == blk[1]) {
                k1 += blk[2];
            } else {
                if (k1 > 0) {
                    merged.add(new int[] {i1, j1, k1});
                }
                i1 = blk[0];
                j1 = blk[1];
                k1 = blk[2];
            }
        }
        if (k1 > 0) {
            merged.add(new int[] {i1, j1, k1});
        }
        merged.add(new int[] {a.size(), b.size(), 0});
        return merged;
    }

    private List<int[]> opcodes() {
        List<int[]> codes = new ArrayList<>();
        int i = 0;
        int j = 0;
        for (int[] m : matchingBlocks()) {
            int ai = m[0];
            int bj = m[1];
            int size = m[2];
            int tag = -1;
            if (i < ai && j < bj) {
                tag = REPLACE;
            } else if (i < ai) {
                tag = DELETE;
            } else if (j < bj) {
                tag = INSERT;
            }
            if (tag >= 0) {
                codes.add(new int[] {tag, i, ai, j, bj});
            }
            i = ai + size;
            j = bj + size;
            if (size > 0) {
                codes.add(new int[] {EQUAL, ai, i, bj, j});
            }
        }
        return codes;
    }

    private List<List<int[]>> groupedOpcodes(int n) {
        List<int[]> codes = opcodes();
        if (codes.isEmpty()) {
            codes.add(new int[] {EQUAL, 0, 1, 0, 1});
        }
        int[] c0 = codes.get(0);
        if (c0[0] == EQUAL) {
            codes.set(0, new int[] {EQUAL, Math.max(c0[1], c0[2] - n), c0[2], Math.max(c0[3], c0[4] - n), c0[4]});
        }
        int[] cl = codes.get(codes.size() - 1);
        if (cl[0] == EQUAL) {
            codes.set(codes.size() - 1,
                    new int[] {EQUAL, cl[1], Math.min(cl[2], cl[1] + n), cl[3], Math.min(cl[4], cl[3] + n)});
        }
        List<List<int[]>> groups = new ArrayList<>();
        List<int[]> group = new ArrayList<>();
        for (int[] c : codes) {
            int i1 = c[1];
            int j1 = c[3];
            if (c[0] == EQUAL && c[2] - c[1] > 2 * n) {
                group.add(new int[] {EQUAL, c[1], Math.min(c[2], c[1] + n), c[3], Math.min(c[4], c[3] + n)});
                groups.add(group);
                group = new ArrayList<>();
                i1 = Math.max(c[1], c[2] - n);
                j1 = Math.max(c[3], c[4] - n);
            }
            group.add(new int[] {c[0], i1, c[2], j1, c[4]});
        }
        if (!group.isEmpty() && !(group.size() == 1 && group.get(0)[0] == EQUAL)) {
            groups.add(group);
        }
        return groups;
    }
}
