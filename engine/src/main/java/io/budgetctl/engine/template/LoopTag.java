package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Jinja2's {@code for} with the two parts Jinjava 2.8 lacks, on top of Jinjava's own loop:
 * <ul>
 * <li>a loop filter, {@code {% for x in items if cond %}}: the items are filtered first (the condition sees the loop
 * variables, not {@code loop}), so {@code loop.index}, {@code loop.length} and {@code loop.last} count only the
 * items that pass, as in Jinja2;</li>
 * <li>{@code {% else %}}: rendered (in the enclosing scope) when no item is left; Jinjava rendered the else text
 * after every item instead.</li>
 * </ul>
 * A loop with neither is Jinjava's, unchanged.
 */
final class LoopTag extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        String helpers = tagNode.getHelpers();
        int in = topLevelWord(helpers, "in", 0);
        int cond = in < 0 ? -1 : topLevelWord(helpers, "if", in + 2);
        int elseAt = elseIndex(tagNode);
        if (in < 0 || (cond < 0 && elseAt < 0) || topLevelWord(helpers, "recursive", in + 2) >= 0) {
            return super.interpret(tagNode, interpreter);
        }
        List<String> vars = new ArrayList<>();
        for (String v : WithTag.topLevel(helpers.substring(0, in), ',')) {
            if (!v.isBlank()) {
                vars.add(v.strip());
            }
        }
        String iterable = helpers.substring(in + 2, cond < 0 ? helpers.length() : cond).strip();
        String condition = cond < 0 ? null : helpers.substring(cond + 2).strip();
        if (vars.isEmpty() || iterable.isEmpty() || (condition != null && condition.isEmpty())) {
            throw new TemplateFailure("expected 'for NAME in ITEMS [if CONDITION]', got 'for" + helpers + "'",
                    "write {% for x in items if x.enabled %}...{% else %}...{% endfor %}");
        }
        Object collection = interpreter.resolveELExpression(iterable, tagNode.getLineNumber());
        List<Object> items = new ArrayList<>();
        ForLoop loop = ObjectIterator.getLoop(collection);
        while (loop.hasNext()) {
            Object item = loop.next();
            if (condition == null || accepts(interpreter, vars, item, condition, tagNode.getLineNumber())) {
                items.add(item);
            }
        }
        LinkedList<Node> children = tagNode.getChildren();
        if (items.isEmpty()) {
            StringBuilder out = new StringBuilder();
            if (elseAt >= 0) {
                for (Node child : children.subList(elseAt + 1, children.size())) {
                    out.append(child.render(interpreter).getValue());
                }
            }
            return out.toString();
        }
        // a node of our own with the loop body only (the parsed tree may be shared between renders: never edit it)
        TagNode body = new TagNode(this, (TagToken) tagNode.getMaster(), tagNode.getSymbols());
        body.setChildren(new LinkedList<>(elseAt < 0 ? children : children.subList(0, elseAt)));
        return renderForCollection(body, interpreter, vars, items);
    }

    /** Whether {@code condition} holds with the loop variables bound to {@code item}, in a scope of its own. */
    private static boolean accepts(JinjavaInterpreter interpreter, List<String> vars, Object item, String condition,
                                   int line) {
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            if (vars.size() == 1) {
                interpreter.getContext().put(vars.get(0), item);
            } else {
                List<?> parts = unpack(item, vars.size());
                for (int i = 0; i < vars.size(); i++) {
                    interpreter.getContext().put(vars.get(i), parts.get(i));
                }
            }
            return Truth.of(interpreter.resolveELExpression(condition, line));
        }
    }

    private static List<?> unpack(Object item, int n) {
        List<?> parts;
        if (item instanceof Map.Entry<?, ?> e) {
            parts = List.of(e.getKey() == null ? "" : e.getKey(), e.getValue() == null ? "" : e.getValue());
        } else if (item instanceof List<?> l) {
            parts = l;
        } else if (item instanceof Object[] a) {
            parts = List.of(a);
        } else {
            parts = List.of(item);
        }
        if (parts.size() != n) {
            throw new TemplateFailure((parts.size() < n ? "not enough" : "too many") + " values to unpack (expected "
                    + n + ", got " + parts.size() + ")", "the loop names as many variables as each item has values");
        }
        return parts;
    }

    /** The index of the loop's own {@code {% else %}} among its children, or -1. */
    private static int elseIndex(TagNode tagNode) {
        int i = 0;
        for (Node child : tagNode.getChildren()) {
            if (child instanceof TagNode t && "else".equals(t.getName())) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Where {@code word} stands as a whole word outside strings and brackets, from {@code from}; -1 if nowhere. */
    static int topLevelWord(String text, String word, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && text.startsWith(word, i) && boundary(text, i - 1)
                    && boundary(text, i + word.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean boundary(String text, int i) {
        return i < 0 || i >= text.length() || !(Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_');
    }
}
