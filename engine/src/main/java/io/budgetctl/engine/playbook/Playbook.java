package io.budgetctl.engine.playbook;

import java.nio.file.Path;
import java.util.List;

/** A loaded and validated playbook: its file and plays (import_playbook already expanded). */
public record Playbook(Path file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }

    public Path baseDir() {
        Path p = file.toAbsolutePath().getParent();
        return p == null ? Path.of(".").toAbsolutePath() : p;
    }
}
