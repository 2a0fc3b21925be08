package io.budgetctl.engine.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Jinja2's {@code {% filter upper %}...{% endfilter %}}, which Jinjava 2.8 lacks: the body is rendered, then passed
 * through the filters written in the tag, a chain with arguments included ({@code {% filter replace('a', 'b') |
 * upper %}}), and the result is the text that takes the block's place.
 */
final class FilterTag implements Tag {
    private static final long serialVersionUID = 1L;
    /** The body's name while the tag's filters apply to it; not a name a template can write by accident. */
    private static final String BODY = "__budgetctl_filter_body";

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String getEndTagName() {
        return "endfilter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        String filters = tagNode.getHelpers().strip();
        if (filters.isEmpty()) {
            throw new TemplateFailure("{% filter %} needs a filter to apply", "write {% filter upper %}...{% endfilter %}");
        }
        StringBuilder body = new StringBuilder();
        for (Node child : tagNode.getChildren()) {
            body.append(child.render(interpreter).getValue());
        }
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            interpreter.getContext().put(BODY, body.toString());
            Object out = interpreter.resolveELExpression(BODY + " | " + filters, tagNode.getLineNumber());
            return Py.str(out);
        }
    }
}
