package io.budgetctl.lifecycle.secrets;

import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.StreamDataWriter;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.comments.CommentType;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.emitter.Emitter;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CommentEvent;
import org.snakeyaml.engine.v2.events.DocumentEndEvent;
import org.snakeyaml.engine.v2.events.DocumentStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ImplicitTuple;
import org.snakeyaml.engine.v2.events.MappingEndEvent;
import org.snakeyaml.engine.v2.events.MappingStartEvent;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.events.SequenceEndEvent;
import org.snakeyaml.engine.v2.events.SequenceStartEvent;
import org.snakeyaml.engine.v2.events.StreamEndEvent;
import org.snakeyaml.engine.v2.events.StreamStartEvent;

/**
 * SOPS' YAML flavour. Scalars resolve as Go's yaml.v3 resolves them for sops (true/false only as booleans, ints,
 * floats, null; timestamps stay strings); comments are kept as {@link Comment} items placed before the key that
 * follows them (yaml.v3's head comments) or at the end of the mapping they close; every document of a multi-document
 * file is one branch, and each carries the {@code sops} section when written.
 */
final class YamlStore implements SopsStore {
    private static final Pattern INT = Pattern.compile("[-+]?(0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    private static final Set<String> TRUES = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSES = Set.of("false", "False", "FALSE");
    /** YAML 1.1 booleans: yaml.v3 quotes these strings when writing so old readers do not see a bool. */
    private static final Set<String> OLD_BOOLS = Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF");
    private static final String TAG = "tag:yaml.org,2002:";
    /** Strings yaml.v3 would read back as timestamps: written quoted, as sops writes lastmodified. */
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt ].*)?");

    @Override
    public List<Branch> loadPlain(String text, String label) {
        LoadSettings settings = LoadSettings.builder().setLabel(label).setParseComments(true)
                .setAllowDuplicateKeys(true).setMaxAliasesForCollections(200).build();
        Builder b = new Builder();
        for (Event e : new Parse(settings).parseString(text)) {
            b.on(e);
        }
        return b.documents;
    }

    /** Builds branches from parser events, keeping comments where sops keeps them. */
    private static final class Builder {
        final List<Branch> documents = new ArrayList<>();
        final Deque<Object> stack = new ArrayDeque<>(); // Branch or List<Object>
        final List<String> comments = new ArrayList<>();
        final Map<String, Object> anchors = new HashMap<>();
        Object root;
        String key; // key waiting for its value in the current mapping, or null

        void on(Event e) {
            switch (e.getEventId()) {
                case Comment -> {
                    CommentEvent c = (CommentEvent) e;
                    if (c.getCommentType() != CommentType.BLANK_LINE) {
                        comments.add(c.getValue());
                    }
                }
                case DocumentStart -> {
                    root = null;
                    key = null;
                }
                case DocumentEnd -> {
                    Branch doc;
                    if (root instanceof Branch rb) {
                        doc = rb;
                    } else if (root == null) {
                        doc = new Branch();
                    } else {
                        throw new IllegalArgumentException("a YAML document that is a "
                                + (root instanceof List ? "sequence" : "single value")
                                + " cannot hold secrets: sops needs a mapping at the top");
                    }
                    flushInto(doc);
                    documents.add(doc);
                }
                case Scalar -> {
                    ScalarEvent s = (ScalarEvent) e;
                    Object v = resolve(s);
                    remember(s, v);
                    value(v, s.getValue());
                }
                case Alias -> {
                    AliasEvent a = (AliasEvent) e;
                    String name = a.getAlias().getValue();
                    if (!anchors.containsKey(name)) {
                        throw new IllegalArgumentException("unknown alias *" + name);
                    }
                    Object v = Branch.copy(anchors.get(name));
                    value(v, v == null ? "" : String.valueOf(v));
                }
                case MappingStart -> {
                    Branch b = new Branch();
                    remember((NodeEvent) e, b);
                    value(b, null);
                    stack.push(b);
                }
                case SequenceStart -> {
                    List<Object> l = new ArrayList<>();
                    remember((NodeEvent) e, l);
                    value(l, null);
                    stack.push(l);
                }
                case MappingEnd, SequenceEnd -> {
                    Object done = stack.pop();
                    flushInto(done);
                }
                default -> {
                    // stream start/end: nothing to build
                }
            }
        }

        private void remember(NodeEvent e, Object v) {
            e.getAnchor().ifPresent(a -> anchors.put(a.getValue(), v));
        }

        @SuppressWarnings("unchecked")
        private void flushInto(Object container) {
            if (comments.isEmpty()) {
                return;
            }
            if (container instanceof Branch b) {
                comments.forEach(c -> b.add(new TreeItem(new Comment(c), null)));
            } else if (container instanceof List<?> l) {
                comments.forEach(c -> ((List<Object>) l).add(new Comment(c)));
            }
            comments.clear();
        }

        /** A finished scalar, or a collection just started, placed in the current container. */
        @SuppressWarnings("unchecked")
        private void value(Object v, String keyText) {
            Object top = stack.peek();
            if (top == null) {
                root = v;
                return;
            }
            if (top instanceof Branch b) {
                if (key == null) {
                    if (keyText == null) {
                        throw new IllegalArgumentException("a mapping key that is itself a mapping or sequence "
                                + "is not supported by sops");
                    }
                    flushInto(b);
                    key = keyText;
                } else {
                    b.add(new TreeItem(key, v));
                    key = null;
                }
            } else {
                flushInto(top);
                ((List<Object>) top).add(v);
            }
        }
    }

    /** yaml.v3's resolution of a scalar into a Go value, as sops sees it. */
    static Object resolve(ScalarEvent s) {
        String v = s.getValue();
        Optional<String> tag = s.getTag().filter(t -> !t.equals("!"));
        if (tag.isPresent()) {
            String t = tag.get().startsWith("!!") ? TAG + tag.get().substring(2) : tag.get();
            switch (t) {
                case TAG + "str":
                    return v;
                case TAG + "binary":
                    return Base64.getMimeDecoder().decode(v);
                case TAG + "null":
                    return null;
                case TAG + "bool":
                case TAG + "int":
                case TAG + "float":
                    Object r = resolvePlain(v);
                    return r == null ? v : r;
                default:
                    return v;
            }
        }
        if (!s.isPlain()) {
            return v;
        }
        return resolvePlain(v);
    }

    static Object resolvePlain(String v) {
        if (NULLS.contains(v)) {
            return null;
        }
        if (TRUES.contains(v)) {
            return Boolean.TRUE;
        }
        if (FALSES.contains(v)) {
            return Boolean.FALSE;
        }
        switch (v) {
            case ".nan": case ".NaN": case ".NAN":
                return Double.NaN;
            case ".inf": case ".Inf": case ".INF": case "+.inf": case "+.Inf": case "+.INF":
                return Double.POSITIVE_INFINITY;
            case "-.inf": case "-.Inf": case "-.INF":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (INT.matcher(v).matches()) {
            String t = v.replace("_", "");
            boolean neg = t.startsWith("-");
            if (t.startsWith("-") || t.startsWith("+")) {
                t = t.substring(1);
            }
            int radix = 10;
            if (t.startsWith("0b")) {
                radix = 2;
                t = t.substring(2);
            } else if (t.startsWith("0o")) {
                radix = 8;
                t = t.substring(2);
            } else if (t.startsWith("0x")) {
                radix = 16;
                t = t.substring(2);
            } else if (t.length() > 1 && t.startsWith("0")) {
                radix = 8;
            }
            try {
                BigInteger n = new BigInteger(t, radix);
                n = neg ? n.negate() : n;
                if (n.bitLength() < 64) {
                    return n.longValue();
                }
                return n.doubleValue();
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (FLOAT.matcher(v).matches()) {
            return Double.parseDouble(v.replace("_", ""));
        }
        return v;
    }

    @Override
    public Map<String, Object> extractMetadata(List<Branch> branches) {
        Map<String, Object> md = null;
        for (Branch b : branches) {
            Object v = b.get("sops");
            if (md == null && v instanceof Branch mb) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) Branch.toJava(mb);
                md = m;
            }
            b.remove("sops");
        }
        return md;
    }

    @Override
    public String emitPlain(List<Branch> branches) {
        return emit(branches, null);
    }

    @Override
    public String emitEncrypted(List<Branch> branches, SopsMetadata metadata) {
        return emit(branches, metadata);
    }

    private static String emit(List<Branch> branches, SopsMetadata metadata) {
        DumpSettings settings = DumpSettings.builder().setIndent(4).setIndicatorIndent(2).setDumpComments(true).setWidth(Integer.MAX_VALUE / 2)
                .setSplitLines(false).setDefaultFlowStyle(FlowStyle.BLOCK).build();
        StringWriter out = new StringWriter();
        Emitter em = new Emitter(settings, new StreamDataWriter() {
            @Override
            public void write(String str) {
                out.write(str);
            }

            @Override
            public void write(String str, int off, int len) {
                out.write(str, off, len);
            }
        });
        em.emit(new StreamStartEvent());
        List<Branch> docs = branches.isEmpty() ? List.of(new Branch()) : branches;
        for (Branch b : docs) {
            Branch doc = b;
            if (metadata != null) {
                doc = new Branch();
                doc.addAll(b);
                doc.add(new TreeItem("sops", Branch.fromJava(metadata.toMap())));
            }
            em.emit(new DocumentStartEvent(docs.size() > 1, Optional.empty(), Map.of()));
            emitValue(em, doc);
            em.emit(new DocumentEndEvent(false));
        }
        em.emit(new StreamEndEvent());
        return out.toString();
    }

    private static void emitValue(Emitter em, Object v) {
        if (v instanceof Branch b) {
            em.emit(new MappingStartEvent(Optional.empty(), Optional.empty(), true,
                    b.stream().anyMatch(i -> !i.isComment()) ? FlowStyle.BLOCK : FlowStyle.FLOW));
            for (TreeItem i : b) {
                if (i.key instanceof Comment c) {
                    em.emit(new CommentEvent(CommentType.BLOCK, c.value(), Optional.empty(), Optional.empty()));
                } else {
                    emitScalar(em, i.key);
                    emitValue(em, i.value);
                }
            }
            em.emit(new MappingEndEvent());
        } else if (v instanceof List<?> l) {
            em.emit(new SequenceStartEvent(Optional.empty(), Optional.empty(), true,
                    l.stream().anyMatch(x -> !(x instanceof Comment)) ? FlowStyle.BLOCK : FlowStyle.FLOW));
            for (Object x : l) {
                if (x instanceof Comment c) {
                    em.emit(new CommentEvent(CommentType.BLOCK, c.value(), Optional.empty(), Optional.empty()));
                } else {
                    emitValue(em, x);
                }
            }
            em.emit(new SequenceEndEvent());
        } else {
            emitScalar(em, v);
        }
    }

    private static void emitScalar(Emitter em, Object v) {
        String text;
        String tag;
        boolean plainOk;
        ScalarStyle style = ScalarStyle.PLAIN;
        if (v == null) {
            text = "null";
            tag = "null";
            plainOk = true;
        } else if (v instanceof Boolean b) {
            text = b.toString();
            tag = "bool";
            plainOk = true;
        } else if (v instanceof Long || v instanceof Integer) {
            text = v.toString();
            tag = "int";
            plainOk = true;
        } else if (v instanceof Double d) {
            text = d.isNaN() ? ".nan" : d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : SopsCipher.goFormatFloat(d);
            if (!d.isNaN() && !d.isInfinite() && !text.contains(".")) {
                text = text + ".0";
            }
            tag = "float";
            plainOk = true;
        } else if (v instanceof byte[] bytes) {
            em.emit(new ScalarEvent(Optional.empty(), Optional.of(TAG + "binary"), new ImplicitTuple(false, false),
                    Base64.getEncoder().encodeToString(bytes), ScalarStyle.PLAIN));
            return;
        } else {
            text = String.valueOf(v);
            tag = "str";
            plainOk = resolvePlain(text) instanceof String && !OLD_BOOLS.contains(text)
                    && !TIMESTAMP.matcher(text).matches();
            if (text.contains("\n")) {
                style = ScalarStyle.LITERAL;
            }
        }
        em.emit(new ScalarEvent(Optional.empty(), Optional.of(TAG + tag), new ImplicitTuple(plainOk, true), text,
                style));
    }
}
