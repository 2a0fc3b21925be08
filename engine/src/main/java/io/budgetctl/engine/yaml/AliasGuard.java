package io.budgetctl.engine.yaml;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Checks a composed YAML document before it is turned into values, which copies an aliased node at every use.
 * snakeyaml-engine composes aliases as shared nodes, so the graph itself is small; its expansion is not:
 * <ul>
 *   <li>an alias inside the node its anchor names ({@code a: &a [1, *a]}) would expand forever (it used to end
 *       in a StackOverflowError) and is refused at the alias, while parsing ({@link #parser});</li>
 *   <li>nested aliases that multiply ("billion laughs": ten levels of ten aliases is 10^10 nodes from 1 KB) are
 *       refused when the expanded document would hold more than {@link #MAX_EXPANDED_NODES} nodes more than the
 *       file itself; a document without aliases is never refused, whatever its size.</li>
 * </ul>
 * The check counts each distinct node once (memoised), so it is linear in the size of the file.
 */
final class AliasGuard {
    /** How many nodes aliases may add to a document by copying. */
    static final long MAX_EXPANDED_NODES = 1_000_000;

    private final Map<Node, Long> expanded = new IdentityHashMap<>();
    private final Set<Node> onPath = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private AliasGuard() {
    }

    /**
     * {@code parser} with a check on every event the composer takes: an alias to an anchor whose collection is
     * still open (being composed) is refused at the alias. This has to happen before composing: snakeyaml-engine
     * flattens merge keys while composing, and {@code m: &m {<<: *m}} made it loop without end.
     */
    static Parser parser(Parser parser) {
        return new Parser() {
            /** Anchors of the collections being read, innermost last (null for a collection without one). */
            private final java.util.ArrayDeque<Optional<NodeEvent>> open = new java.util.ArrayDeque<>();

            @Override
            public boolean checkEvent(Event.ID choice) {
                return parser.checkEvent(choice);
            }

            @Override
            public Event peekEvent() {
                return parser.peekEvent();
            }

            @Override
            public boolean hasNext() {
                return parser.hasNext();
            }

            @Override
            public Event next() {
                Event e = parser.next();
                switch (e.getEventId()) {
                    case MappingStart, SequenceStart -> {
                        NodeEvent n = (NodeEvent) e;
                        open.addLast(n.getAnchor().isPresent() ? Optional.of(n) : Optional.empty());
                    }
                    case MappingEnd, SequenceEnd -> open.pollLast();
                    case Alias -> {
                        String name = ((AliasEvent) e).getAlias().getValue();
                        for (Optional<NodeEvent> o : open) {
                            if (o.isPresent() && o.get().getAnchor().get().getValue().equals(name)) {
                                SourceLocation anchor = o.get().getStartMark().map(YamlLoader::location)
                                        .orElse(SourceLocation.UNKNOWN);
                                throw new EngineException(e.getStartMark().map(YamlLoader::location)
                                        .orElse(anchor), "YAML alias *" + name + " is used inside the value of its"
                                        + " own anchor &" + name + " (line " + anchor.line() + ", column "
                                        + anchor.column() + "), which would then contain itself without end",
                                        "an alias (*name) may only refer to a value that is complete before it;"
                                                + " copy the values instead");
                            }
                        }
                    }
                    default -> {
                        // scalars, documents and the stream need no check
                    }
                }
                return e;
            }
        };
    }

    /** Throws an {@link EngineException} (file:line:col of the anchor, with a hint) for a document that is refused. */
    static void check(Node root) {
        AliasGuard g = new AliasGuard();
        long total = g.size(root);
        long distinct = g.expanded.size();
        if (total - distinct > MAX_EXPANDED_NODES) {
            Node at = g.culprit(root);
            throw new EngineException(YamlLoader.location(at), "YAML aliases expand this document to "
                    + (total == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(total))
                    + " values from " + distinct + " written ones" + anchorName(at)
                    + " (more than " + MAX_EXPANDED_NODES + " copies; a \"billion laughs\" document?)",
                    "every use of an alias (*name) copies the whole anchored value; nest fewer aliases");
        }
    }

    private long size(Node n) {
        Long known = expanded.get(n);
        if (known != null) {
            return known;
        }
        if (!onPath.add(n)) {
            String name = n.getAnchor().map(a -> "anchor &" + a.getValue() + " is used as *" + a.getValue())
                    .orElse("a node is used");
            throw new EngineException(YamlLoader.location(n), "YAML " + name
                    + " inside its own value, which would then contain itself without end",
                    "an alias (*name) may only refer to an anchor whose value is complete before the alias;"
                            + " copy the values instead");
        }
        long s = 1;
        for (Node c : children(n)) {
            s = saturatedAdd(s, size(c));
        }
        onPath.remove(n);
        expanded.put(n, s);
        return s;
    }

    /** The innermost node on the way to the biggest expansion that still expands beyond the limit on its own. */
    private Node culprit(Node root) {
        Node at = root;
        while (true) {
            Node next = null;
            for (Node c : children(at)) {
                if (expanded.get(c) > MAX_EXPANDED_NODES && (next == null || expanded.get(c) > expanded.get(next))) {
                    next = c;
                }
            }
            if (next == null) {
                return at;
            }
            at = next;
        }
    }

    private static List<Node> children(Node n) {
        if (n instanceof SequenceNode s) {
            return s.getValue();
        }
        if (n instanceof MappingNode m) {
            List<Node> out = new java.util.ArrayList<>(m.getValue().size() * 2);
            for (NodeTuple t : m.getValue()) {
                out.add(t.getKeyNode());
                out.add(t.getValueNode());
            }
            return out;
        }
        return List.of();
    }

    private static String anchorName(Node n) {
        return n.getAnchor().map(a -> " (anchor &" + a.getValue() + ")").orElse("");
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
