package io.budgetctl.engine.template;

import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** What lookups need from the render in progress on this thread: the templater, the variables, the base dir. */
record RenderState(JinjavaTemplater templater, Map<String, Object> vars, SourceLocation location, Path baseDir) {
    private static final ThreadLocal<Deque<RenderState>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    static RenderState current() {
        RenderState s = STACK.get().peek();
        if (s == null) {
            throw new IllegalStateException("no template render in progress");
        }
        return s;
    }

    static void push(RenderState s) {
        STACK.get().push(s);
    }

    static void pop() {
        STACK.get().pop();
    }

    static int depth() {
        return STACK.get().size();
    }

    /** Ansible's search: base/files/x (or base/templates/x), then base/x; absolute paths as they are. */
    Path resolve(String term, boolean file) {
        Path p = Path.of(term);
        if (p.isAbsolute()) {
            return p;
        }
        Path sub = baseDir.resolve(file ? "files" : "templates").resolve(term);
        return Files.exists(sub) ? sub : baseDir.resolve(term);
    }
}
