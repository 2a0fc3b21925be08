package io.budgetctl.engine.run;

import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.FactSource;
import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.exec.ImplicitLocalhost;
import io.budgetctl.engine.exec.TestModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes files into a temp dir and runs the real engine on them with test modules and a Jinjava templater. */
final class EngineHarness {
    final Path dir;
    HostInventory inventory = new ImplicitLocalhost();
    Map<String, String> env = Map.of();
    final Recorder rec = new Recorder();

    EngineHarness(Path dir) {
        this.dir = dir;
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text.replace("@DIR@", dir.toString()));
        return p;
    }

    EngineServices services() {
        return new EngineServices(new io.budgetctl.engine.template.JinjavaTemplater(), TestModules.registry(), s -> inventory, SimpleExtraVars::parse,
                FactSource.none(), ConnectionFactory.localOnly(), env);
    }

    int run(String playbook, RunRequest req) throws IOException {
        Path p = write("site.yml", playbook);
        RunRequest r = req.toBuilder().playbooks(List.of(p)).inventories(List.of()).verbosity(0).build();
        return Engine.run(r, List.of(rec), services());
    }

    int run(String playbook) throws IOException {
        return run(playbook, RunRequest.of(Path.of("x"), null));
    }

    static RunRequest opts() {
        return RunRequest.of(Path.of("x"), null);
    }

    String file(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p) : null;
    }

    String recap(String host) {
        var s = rec.recap.get(host);
        return "ok=" + s.ok() + " changed=" + s.changed() + " unreachable=" + s.unreachable() + " failed="
                + s.failed() + " skipped=" + s.skipped() + " rescued=" + s.rescued() + " ignored=" + s.ignored();
    }
}
