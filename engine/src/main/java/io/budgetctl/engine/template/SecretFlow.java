package io.budgetctl.engine.template;

import io.budgetctl.engine.api.Secret;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Secrecy as a property of values while templates run: whatever a template computes from a {@link Secret} is a secret
 * too. Templates see secrets as plain text (the host needs the value), so the flow is followed here, per thread:
 *
 * <ul>
 * <li>each {@link Secret} a template reads is {@link #reveal revealed} through this class, which marks the render in
 * progress as <em>touched</em> and tells the {@link Sink};</li>
 * <li>a filter whose input or arguments contain a known secret value (or that reads a secret itself) yields a
 * <em>derived</em> secret: its text output is reported to the sink ({@code upper}, {@code b64encode},
 * {@code hash('sha1')}, {@code replace}, {@code format} ...);</li>
 * <li>a {@code {{ expression }}} that touched a secret and printed text reports that text (slicing, {@code ~},
 * {@code %}, string methods);</li>
 * <li>{@link JinjavaTemplater#render} and {@link JinjavaTemplater#evaluate} return a {@link Secret} for a text result
 * of a render that touched a secret, and for text that contains a known secret value.</li>
 * </ul>
 *
 * The sink (the executor's run-wide ledger, see {@code exec/SecretLedger}) is what masking uses: every secret value
 * and every derived value is masked wherever output is printed. Without a sink, renders still return Secrets.
 */
public final class SecretFlow {
    /** Shorter values are too common to be looked for inside text; they are still tracked as Secret objects. */
    public static final int MIN_LENGTH = 4;

    /** Where revealed and derived secret values go: the run's mask set. */
    public interface Sink {
        void revealed(Secret secret);

        /** A value computed from a secret, and which of its forms are secret (see {@link Form}). */
        void derived(String value, Form form);

        /** The plaintext secret values known so far (revealed and derived), to recognise them inside text. */
        Collection<String> known();
    }

    /** How much of a derived value is secret. */
    public enum Form {
        /** A filter's output computed from secret text: the value, and each of its lines. */
        LINES,
        /** Text that mixes a secret with other text (a printed expression): the value as a whole. */
        WHOLE,
        /**
         * A whole rendered text around expressions (copy content, a template file): its parts were reported
         * already, and its other lines are not secret; only its digests are (copy and template report the SHA-1).
         */
        DIGESTS
    }

    private static final ThreadLocal<Sink> SINK = new ThreadLocal<>();
    private static final ThreadLocal<Deque<Frame>> FRAMES = ThreadLocal.withInitial(ArrayDeque::new);

    private SecretFlow() {
    }

    /** One render in progress: did it read a secret, and which values did it reveal. */
    private static final class Frame {
        int reveals;
        final List<String> values = new ArrayList<>(2);
    }

    /** Runs {@code body} with {@code sink} receiving this thread's revealed and derived secrets. */
    public static <T> T into(Sink sink, Supplier<T> body) {
        Sink before = SINK.get();
        SINK.set(sink);
        try {
            return body.get();
        } finally {
            if (before == null) {
                SINK.remove();
            } else {
                SINK.set(before);
            }
        }
    }

    /** The plaintext of a secret a template reads; the render in progress becomes touched. */
    static String reveal(Secret s) {
        String v = s.reveal();
        Frame f = FRAMES.get().peek();
        if (f != null) {
            f.reveals++;
            f.values.add(v);
        }
        Sink sink = SINK.get();
        if (sink != null) {
            sink.revealed(s);
        }
        return v;
    }

    /** How many secrets this thread's current render has read so far (to see whether a step read one). */
    static int reveals() {
        Frame f = FRAMES.get().peek();
        return f == null ? 0 : f.reveals;
    }

    /**
     * Runs one render ({@code render}, {@code evaluate}) as a frame: a text result of a frame that read a secret, or
     * that contains a known secret value, comes back as a {@link Secret}; lists and maps get their secret text
     * elements wrapped. Nested frames pass what they read to the enclosing one. {@code record}: report the text
     * result as a derived secret (an evaluated expression; a render of text around expressions need not, since each
     * printed expression reported its own text, and the text around them is not secret).
     */
    static Object frame(Supplier<Object> body, boolean record) {
        Deque<Frame> frames = FRAMES.get();
        Frame f = new Frame();
        frames.push(f);
        Object result;
        try {
            result = body.get();
        } finally {
            frames.pop();
            Frame parent = frames.peek();
            if (parent != null) {
                parent.reveals += f.reveals;
                parent.values.addAll(f.values);
            }
        }
        if (result instanceof Secret || result == null) {
            return result;
        }
        if (result instanceof String s) {
            if (f.reveals > 0 || containsKnown(s, f)) {
                derived(s, record ? Form.WHOLE : Form.DIGESTS);
                return Secret.derived(s);
            }
            return s;
        }
        return result instanceof Map<?, ?> || result instanceof List<?> ? seal(result, f, f.reveals > 0, 0) : result;
    }

    /** Text inside a list or map becomes a Secret: all of it when the render read a secret, else what holds one. */
    private static Object seal(Object v, Frame f, boolean all, int depth) {
        if (depth > 20) {
            return v;
        }
        if (v instanceof String s) {
            if (all || containsKnown(s, f)) {
                derived(s);
                return Secret.derived(s);
            }
            return s;
        }
        if (v instanceof PyTuple) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, seal(x, f, all, depth + 1)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(seal(x, f, all, depth + 1));
            }
            return out;
        }
        return v;
    }

    /** Reports text that mixes a secret with other text (an expression's printed text, a render's result). */
    static void derived(String value) {
        derived(value, Form.WHOLE);
    }

    private static void derived(String value, Form form) {
        Sink sink = SINK.get();
        if (sink != null && value != null && !value.isEmpty()) {
            sink.derived(value, form);
        }
    }

    /**
     * Runs a render of a whole text ({@code renderText}: the template module, {@code lookup('template')}) as a frame
     * that reports the digests of its result when it read a secret.
     */
    static String text(Supplier<String> body) {
        Object out = frame(body::get, false);
        return out instanceof Secret s ? s.reveal() : (String) out;
    }

    /**
     * Reports the output of a filter computed from secret text: its input or one of its arguments is a secret or text
     * that holds a known secret value, or the filter read a secret while it ran. Its text output, the text elements
     * of a list or map it returned, and the printed form of that list or map are derived secrets. (A list or map that
     * merely contains a secret passes the secret through unchanged; the secret's own value masks it.)
     */
    static void filtered(Object input, Object[] args, Map<String, Object> kwargs, int revealsBefore, Object out) {
        if (out == null || out instanceof Boolean || out instanceof Number) {
            return;
        }
        Frame f = FRAMES.get().peek();
        if (reveals() == revealsBefore && nothingKnown()) {
            return; // no secret read or known on this thread: the common case, kept cheap
        }
        int taint = reveals() != revealsBefore ? 2 : secretText(input, f);
        for (int i = 0; taint < 2 && args != null && i < args.length; i++) {
            taint = Math.max(taint, secretText(args[i], f));
        }
        if (taint < 2 && kwargs != null) {
            for (Object v : kwargs.values()) {
                taint = Math.max(taint, secretText(v, f));
            }
        }
        if (taint == 0) {
            return;
        }
        if (taint == 1) {
            if (out instanceof CharSequence cs) {
                derived(cs.toString(), Form.WHOLE);
            }
            return;
        }
        recordAll(out, 0);
        if (out instanceof Collection<?> || out instanceof Map<?, ?>) {
            derived(Py.str(out), Form.LINES);
        }
    }

    private static void recordAll(Object v, int depth) {
        if (depth > 20) {
            return;
        }
        if (v instanceof Secret s) {
            derived(s.reveal(), Form.LINES);
        } else if (v instanceof CharSequence cs) {
            derived(cs.toString(), Form.LINES);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> recordAll(x, depth + 1));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> recordAll(x, depth + 1));
        }
    }

    /**
     * 2: a secret, text that holds one, or a list that a filter computed from one ({@code pw | list}); 1: a list of
     * text one of which holds a secret ({@code [user, pw]}: what is made of it mixes the secret with other text);
     * 0: nothing secret.
     */
    private static int secretText(Object v, Frame f) {
        if (v instanceof Secret || v instanceof CharSequence cs && containsKnown(cs.toString(), f)) {
            return 2;
        }
        if (v instanceof Collection<?> c && !c.isEmpty() && c.size() <= 100_000) {
            for (Object x : c) {
                if (!(x instanceof String)) {
                    return 0;
                }
            }
            String repr = Py.str(v);
            Sink sink = SINK.get();
            if (sink != null && sink.known().contains(repr)) {
                return 2;
            }
            return containsKnown(repr, f) ? 1 : 0;
        }
        return 0;
    }

    private static boolean nothingKnown() {
        Sink sink = SINK.get();
        if (sink != null && !sink.known().isEmpty()) {
            return false;
        }
        for (Frame fr : FRAMES.get()) {
            if (!fr.values.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether text holds a secret value: one the sink knows (revealed or derived, at least {@link #MIN_LENGTH}
     * long), or one the renders in progress read (a shorter one only when it is the whole text).
     */
    private static boolean containsKnown(String s, Frame f) {
        if (s.isEmpty()) {
            return false;
        }
        Sink sink = SINK.get();
        if (sink != null) {
            for (String k : sink.known()) {
                if (k.length() >= MIN_LENGTH && s.contains(k)) {
                    return true;
                }
            }
        }
        if (f != null && matches(s, f.values)) {
            return true;
        }
        for (Frame fr : FRAMES.get()) {
            if (matches(s, fr.values)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String s, List<String> values) {
        for (String k : values) {
            if (k.length() >= MIN_LENGTH ? s.contains(k) : !k.isEmpty() && s.equals(k)) {
                return true;
            }
        }
        return false;
    }
}
