package io.budgetctl.engine.exec;

import io.budgetctl.engine.playbook.Block;
import io.budgetctl.engine.playbook.Node;
import io.budgetctl.engine.playbook.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one host is in a section of a play: a stack of blocks, each in its block/rescue/always phase. A failure
 * moves the innermost block to rescue (or always); a block that ends still failed passes the failure to its parent.
 * When the stack empties with a failure left over, the host has failed. Included files are pushed as blocks right
 * after the include task, positioned under it.
 */
final class HostCursor {
    private static final int BLOCK = 0;
    private static final int RESCUE = 1;
    private static final int ALWAYS = 2;

    private static final class Frame {
        final Block block;
        final Scope scope;
        final List<Integer> base;
        int phase = BLOCK;
        int idx;
        boolean failed;

        Frame(Block block, Scope scope, List<Integer> base) {
            this.block = block;
            this.scope = scope;
            this.base = base;
        }

        List<Node> list() {
            return phase == BLOCK ? block.block() : phase == RESCUE ? block.rescue() : block.always();
        }

        List<Integer> pos(int i) {
            List<Integer> p = new ArrayList<>(base);
            p.add(phase);
            p.add(i);
            return p;
        }
    }

    private final List<Frame> stack = new ArrayList<>();
    private boolean failed;
    private TaskRef current;

    HostCursor(Block root, Scope scope, List<Integer> base) {
        stack.add(new Frame(root, scope, base));
    }

    /** The next task for this host, without moving; null when the section is done for it. */
    TaskRef peek() {
        while (!stack.isEmpty()) {
            Frame f = stack.get(stack.size() - 1);
            List<Node> list = f.list();
            if (f.idx < list.size()) {
                Node n = list.get(f.idx);
                if (n instanceof Block b) {
                    List<Integer> p = f.pos(f.idx);
                    f.idx++;
                    stack.add(new Frame(b, f.scope.block(b), p));
                    continue;
                }
                return new TaskRef((Task) n, f.scope, f.pos(f.idx));
            }
            if (f.phase == BLOCK) {
                f.phase = ALWAYS;
                f.idx = 0;
            } else if (f.phase == RESCUE) {
                f.failed = false;
                f.phase = ALWAYS;
                f.idx = 0;
            } else {
                stack.remove(stack.size() - 1);
                if (f.failed) {
                    if (stack.isEmpty()) {
                        failed = true;
                    } else {
                        failInto(stack.get(stack.size() - 1));
                    }
                }
            }
        }
        return null;
    }

    /** Moves past the task {@link #peek} returned. */
    TaskRef advance() {
        TaskRef r = peek();
        if (r != null) {
            stack.get(stack.size() - 1).idx++;
        }
        current = r;
        return r;
    }

    /**
     * The current task failed. Returns true when a block around it (in its block: part) has a rescue section —
     * Ansible then counts the host as rescued instead of failed.
     */
    boolean fail() {
        boolean rescuing = false;
        for (Frame f : stack) {
            if (f.phase == BLOCK && !f.block.rescue().isEmpty()) {
                rescuing = true;
            }
        }
        if (!stack.isEmpty()) {
            failInto(stack.get(stack.size() - 1));
        } else {
            failed = true;
        }
        return rescuing;
    }

    private static void failInto(Frame f) {
        f.failed = true;
        if (f.phase == BLOCK && !f.block.rescue().isEmpty()) {
            f.phase = RESCUE;
        } else if (f.phase == BLOCK || f.phase == RESCUE) {
            f.phase = ALWAYS;
        } else {
            f.idx = f.block.always().size();
            return;
        }
        f.idx = 0;
    }

    /** Inserts included content right after the current task (an include), in order. */
    void include(List<Block> blocks, List<Scope> scopes) {
        if (current == null) {
            return;
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            List<Integer> base = new ArrayList<>(current.position());
            base.add(i);
            frames.add(new Frame(blocks.get(i), scopes.get(i), base));
        }
        for (int i = frames.size() - 1; i >= 0; i--) {
            stack.add(frames.get(i));
        }
    }

    /** Stops this host in this section (meta: end_host, end_play, or a fatal condition elsewhere). */
    void end() {
        stack.clear();
    }

    /** True when the section is over for this host and a failure was not rescued. */
    boolean hostFailed() {
        peek();
        return failed;
    }
}
