package io.budgetctl.engine.template;

import io.budgetctl.engine.api.Unsafe;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Tracks, per thread, whether the render in progress read {@link Unsafe} data (Ansible's {@code AnsibleContext.unsafe}):
 * a template that read a host's answer or called a lookup produces data, which its caller wraps in {@link Unsafe} so
 * that it is never templated again. Renders nest (a variable referenced by a template is rendered inside it), and a
 * tainted inner render taints the outer one.
 */
public final class Taint {
    private static final ThreadLocal<Deque<boolean[]>> FRAMES = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<int[]> NO_LOOKUPS = ThreadLocal.withInitial(() -> new int[1]);

    private Taint() {
    }

    /** The result of {@link #track}: the value and whether computing it read unsafe data. */
    public record Tracked<T>(T value, boolean tainted) {
        /** The value, wrapped in {@link Unsafe} when it was computed from unsafe data. */
        public Object wrapped() {
            return tainted ? Unsafe.of(value) : value;
        }
    }

    /** Runs {@code body} in a frame of its own and says whether it read unsafe data; if so the caller's frame is too. */
    public static <T> Tracked<T> track(Supplier<T> body) {
        Deque<boolean[]> frames = FRAMES.get();
        boolean[] frame = new boolean[1];
        frames.push(frame);
        T value;
        try {
            value = body.get();
        } finally {
            frames.pop();
        }
        if (frame[0]) {
            mark();
        }
        return new Tracked<>(value, frame[0]);
    }

    /** The render in progress (if any) read unsafe data. */
    public static void mark() {
        boolean[] frame = FRAMES.get().peek();
        if (frame != null) {
            frame[0] = true;
        }
    }

    /** Reading a variable value: an {@link Unsafe} one taints the render and is handed over unwrapped. */
    public static Object read(Object value) {
        if (value instanceof Unsafe u) {
            mark();
            return u.value();
        }
        return value;
    }

    /**
     * Runs {@code body} with lookups refused: for an expression whose text itself came from unsafe data (a
     * {@code when: "{{ r.stdout }}"}), which Ansible evaluates with {@code disable_lookups}.
     */
    public static <T> T withoutLookups(Supplier<T> body) {
        int[] n = NO_LOOKUPS.get();
        n[0]++;
        try {
            return body.get();
        } finally {
            n[0]--;
        }
    }

    static boolean lookupsDisabled() {
        return NO_LOOKUPS.get()[0] > 0;
    }
}
