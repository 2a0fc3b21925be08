package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem in the deployments repository: where (file:line:column, file relative to the repository root), the
 * JSON pointer of the value inside its document ({@code ""} for the whole document), what is wrong and a hint.
 */
public record RepoError(SourceLocation location, String pointer, String message, String hint) {
    public RepoError {
        location = location == null ? SourceLocation.UNKNOWN : location;
        pointer = pointer == null ? "" : pointer;
    }

    /** {@code clients/acme.yaml:12:7: /ssh/port: 70000 is above the maximum 65535}. */
    public String oneLine() {
        String at = pointer.isEmpty() ? "" : pointer + ": ";
        return location + ": " + at + message;
    }

    /** The JSON form used by {@code --output json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", location.file());
        m.put("line", location.line());
        m.put("column", location.column());
        m.put("pointer", pointer);
        m.put("message", message);
        m.put("hint", hint);
        return m;
    }
}
