package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.api.Unsafe;
import io.budgetctl.engine.event.Status;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.PyText;
import io.budgetctl.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's loop over its {@link LoopItems}: per item the loop variables of {@code loop_control} (loop_var,
 * index_var, extended's ansible_loop, label, pause), one execution of the task, and the registered result Ansible
 * builds from them (results, msg, and changed/failed/skipped over all items). What one item does is the runner's
 * ({@link Body}), so this holds only the loop's own rules.
 */
final class ItemLoop {
    /** One item: its when: and the task once, in the item's variables. */
    interface Body {
        /**
         * @param itemVars   the task's variables with the loop variables and the facts earlier items set
         * @param itemParams the loop variables an include hands on to the tasks it includes
         */
        Execution run(Map<String, Object> itemVars, Map<String, Object> itemParams);
    }

    /** The loop's aggregate result and each item's. */
    record Outcome(Execution total, List<HostOutcome.Item> items) {
    }

    private final Templater templater;
    private final SourceLocation at;

    ItemLoop(Templater templater, SourceLocation at) {
        this.templater = templater;
        this.at = at;
    }

    /**
     * Runs {@code body} for each of {@code items} with the task's {@code loop_control} ({@code loopControl}, may be
     * null); {@code facts} are the facts the items set so far, which later items see.
     */
    Outcome run(Object loopControl, LoopItems.Items items, Map<String, Object> vars, Map<String, Object> facts,
                Body body) {
        Map<String, Object> lc = loopControl instanceof Map<?, ?> m ? PlaybookLoader.asMap(m) : Map.of();
        String loopVar = String.valueOf(lc.getOrDefault("loop_var", "item"));
        String indexVar = lc.get("index_var") == null ? null : String.valueOf(lc.get("index_var"));
        double pause = pause(lc.get("pause"), vars);
        List<Object> list = items.list();
        List<HostOutcome.Item> out = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        List<Result.Diff> diffs = new ArrayList<>();
        boolean anyChanged = false;
        boolean anyFailed = false;
        boolean allSkipped = true;
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            Object itemVar = items.unsafe() ? Unsafe.of(item) : item;
            Map<String, Object> extra = new LinkedHashMap<>();
            // as Ansible: facts set by earlier items (set_fact accumulating a list) are seen by later ones
            extra.putAll(facts);
            extra.put(loopVar, itemVar);
            extra.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                extra.put(indexVar, i);
                extra.put("ansible_index_var", indexVar);
            }
            Map<String, Object> loopInfo = LoopInfo.extended(lc, list, i);
            if (loopInfo != null) {
                extra.put("ansible_loop", items.unsafe() ? Unsafe.of(loopInfo) : loopInfo);
            }
            Map<String, Object> iv = LazyVars.with(vars, extra);
            String label = lc.get("label") != null ? String.valueOf(templater.render(lc.get("label"), iv, at))
                    : PyText.label(item);
            Map<String, Object> itemParams = new LinkedHashMap<>();
            itemParams.put(loopVar, itemVar);
            itemParams.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                itemParams.put(indexVar, i);
            }
            Execution s = body.run(iv, itemParams);
            Map<String, Object> r = new LinkedHashMap<>(s.result());
            r.put(loopVar, item);
            r.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                r.put(indexVar, i);
                r.put("ansible_index_var", indexVar);
            }
            if (loopInfo != null) {
                r.put("ansible_loop", loopInfo);
            }
            results.add(r);
            out.add(new HostOutcome.Item(label, s.status(), r, s.diffs(), s.msg()));
            diffs.addAll(s.diffs());
            anyChanged |= Boolean.TRUE.equals(r.get("changed"));
            anyFailed |= s.status() == Status.FAILED;
            allSkipped &= s.status() == Status.SKIPPED;
            if (pause > 0 && i < list.size() - 1) {
                sleep(pause);
            }
        }
        Map<String, Object> agg = new LinkedHashMap<>();
        agg.put("changed", anyChanged);
        if (anyFailed) {
            agg.put("failed", true);
            agg.put("msg", "One or more items failed");
        } else if (allSkipped) {
            agg.put("msg", list.isEmpty() ? "No items in the list" : "All items skipped");
            agg.put("skipped", true);
        } else {
            agg.put("msg", "All items completed");
        }
        agg.put("results", results);
        Status st = anyFailed ? Status.FAILED : allSkipped ? Status.SKIPPED : anyChanged ? Status.CHANGED : Status.OK;
        if (!anyFailed && !allSkipped) {
            agg.put("failed", false);
        }
        return new Outcome(new Execution(st, agg, diffs, (String) agg.get("msg")), out);
    }

    /** loop_control's pause in seconds: a number, or a template rendering to one (Ansible renders loop_control). */
    private double pause(Object raw, Map<String, Object> vars) {
        if (raw == null) {
            return 0;
        }
        Object v = raw instanceof String ? templater.render(raw, vars, at) : raw;
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new EngineException(at, "loop_control.pause must be a number of seconds, got '" + v + "'",
                    "write pause: 2 or pause: \"{{ wait_seconds }}\"");
        }
    }

    /** Waits {@code seconds}: loop_control's pause between items, until's delay between attempts. */
    static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(SourceLocation.UNKNOWN, "interrupted", null);
        }
    }
}
