package io.budgetctl.engine.template;

/** A filter, test or lookup refused its input (Ansible's AnsibleFilterError); carries a hint for the user. */
final class TemplateFailure extends RuntimeException {
    private final String hint;

    TemplateFailure(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    TemplateFailure(String message) {
        this(message, null);
    }

    String hint() {
        return hint;
    }
}
