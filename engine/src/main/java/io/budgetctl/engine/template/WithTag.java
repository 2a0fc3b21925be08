package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Jinja2's {@code {% with a = 1, b = x %}...{% endwith %}}, which Jinjava lacks: the right-hand sides are evaluated
 * first, in the enclosing scope, then the body renders in a new scope holding the names, so they (and any
 * {@code set} inside) are gone after {@code endwith}.
 */
final class WithTag implements Tag {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public String getName() {
        return "with";
    }

    @Override
    public String getEndTagName() {
        return "endwith";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (String assignment : topLevel(tagNode.getHelpers(), ',')) {
            if (assignment.isBlank()) {
                continue;
            }
            int eq = assignment.indexOf('=');
            String name = eq < 0 ? assignment.strip() : assignment.substring(0, eq).strip();
            if (eq < 0 || !NAME.matcher(name).matches() || assignment.startsWith("=", eq + 1)) {
                throw new TemplateFailure("expected 'name = expression' in {% with %}, got '" + assignment.strip()
                        + "'", "write {% with a = 1, b = name %}...{% endwith %}");
            }
            names.add(name);
            values.add(interpreter.resolveELExpression(assignment.substring(eq + 1).strip(),
                    tagNode.getLineNumber()));
        }
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            for (int i = 0; i < names.size(); i++) {
                interpreter.getContext().put(names.get(i), values.get(i));
            }
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren()) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
    }

    /** Splits at {@code sep} outside brackets and string literals. */
    static List<String> topLevel(String text, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
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
            } else if (c == sep && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
