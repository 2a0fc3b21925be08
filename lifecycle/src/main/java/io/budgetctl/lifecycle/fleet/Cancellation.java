package io.budgetctl.lifecycle.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether someone asked a fleet run to stop starting customers ({@code budgetctl fleet cancel}). The scheduler asks
 * before it starts each customer and about once a second while customers run; running deploys always finish.
 */
@FunctionalInterface
public interface Cancellation {
    /** Who asked and when (one line, e.g. {@code by olga at 2026-12-05T03:00:00Z: wrong version}), or null. */
    String requested();

    static Cancellation none() {
        return () -> null;
    }

    /**
     * A request another process makes by writing {@code file} ({@link Journal#cancelPath}): its first line says
     * who asked. An unreadable file still counts as a request (a cancel must never be lost to a read error).
     */
    static Cancellation file(Path file) {
        return () -> {
            if (!Files.exists(file)) {
                return null;
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                String first = text.isEmpty() ? "" : text.lines().findFirst().orElse("");
                return first.isEmpty() ? "(no details)" : first;
            } catch (IOException e) {
                return "(request unreadable: " + e.getMessage() + ")";
            }
        };
    }
}
