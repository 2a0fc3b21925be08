package io.budgetctl.lifecycle.repo;

import java.util.List;

/** What {@link Validator#validate} found: the errors (empty when valid), and how many files and customers it read. */
public record ValidationReport(List<RepoError> errors, int files, List<String> clients) {
    public ValidationReport {
        errors = List.copyOf(errors);
        clients = List.copyOf(clients);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
