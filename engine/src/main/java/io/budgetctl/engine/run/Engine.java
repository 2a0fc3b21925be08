package io.budgetctl.engine.run;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.event.HostResultEvent;
import io.budgetctl.engine.event.HostStats;
import io.budgetctl.engine.event.PlayEvent;
import io.budgetctl.engine.event.RunListener;
import io.budgetctl.engine.event.TaskEvent;
import io.budgetctl.engine.exec.ConnectionFactory;
import io.budgetctl.engine.exec.ExecOptions;
import io.budgetctl.engine.exec.Executor;
import io.budgetctl.engine.exec.HostInventory;
import io.budgetctl.engine.exec.Lister;
import io.budgetctl.engine.playbook.LoadOptions;
import io.budgetctl.engine.playbook.Playbook;
import io.budgetctl.engine.playbook.PlaybookLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's entry point: load and validate every playbook (nothing connects to a host before that passes),
 * then plan and execute, reporting through the listeners. Returns ansible-playbook's exit code ({@link ExitCodes});
 * load/validation problems are thrown as {@link EngineException} for the CLI to print.
 */
public final class Engine {
    private Engine() {
    }

    public static int run(RunRequest request, List<RunListener> listeners) {
        return run(request, listeners, EngineServices.defaults());
    }

    public static int run(RunRequest request, List<RunListener> listeners, EngineServices services) {
        RunListener events = new Broadcast(listeners);
        LoadOptions lo = new LoadOptions(services.modules(), LoadOptions.rolesPathFromEnv(services.env()));
        List<Playbook> playbooks = new ArrayList<>();
        for (Path p : request.playbooks()) {
            playbooks.add(PlaybookLoader.load(p, lo));
        }
        if (request.syntaxCheck()) {
            for (Playbook pb : playbooks) {
                events.listing("");
                events.listing("playbook: " + pb.file());
            }
            return ExitCodes.OK;
        }
        if (services.templater() == null) {
            throw new EngineException(SourceLocation.UNKNOWN, "no templater available",
                    "this build lacks the Jinja2 templater; it is required to run playbooks");
        }
        HostInventory inventory = services.inventory().load(request.inventories());
        if (inventory instanceof InventoryAdapter ia) {
            ia.warnings().forEach(events::warning);
        }
        if (services.templater() instanceof io.budgetctl.engine.template.JinjavaTemplater jt && !playbooks.isEmpty()) {
            jt.setBaseDir(playbooks.get(0).baseDir());
        }
        Map<String, Object> extra = services.extraVars().parse(request.extraVars(), Path.of("").toAbsolutePath());
        ExecOptions options = new ExecOptions(request.check(), request.diff(), request.tags(), request.skipTags(),
                request.forks(), request.limit(), request.startAtTask(), extra, request.verbosity());
        try (ConnectionFactory factory = services.connections(); Executor executor = new Executor(inventory, services.templater(), services.modules(),
                factory, services.facts(), lo, options, events)) {
            if (request.listHosts() || request.listTasks()) {
                Lister lister = new Lister(executor, events);
                for (Playbook pb : playbooks) {
                    if (request.listHosts()) {
                        lister.listHosts(pb, pb.file().toString());
                    }
                    if (request.listTasks()) {
                        lister.listTasks(pb, pb.file().toString());
                    }
                }
                return ExitCodes.OK;
            }
            executor.checkConnections(playbooks);
            for (Playbook pb : playbooks) {
                events.playbookStart(pb.file().toString());
                if (!executor.runPlaybook(pb)) {
                    break;
                }
            }
            events.recap(executor.recap());
            int code = executor.exitCode();
            events.playbookEnd(code);
            return code;
        }
    }

    /** Forwards each event to every listener, in order. */
    private record Broadcast(List<RunListener> listeners) implements RunListener {
        @Override
        public void playbookStart(String file) {
            listeners.forEach(l -> l.playbookStart(file));
        }

        @Override
        public void playStart(PlayEvent play) {
            listeners.forEach(l -> l.playStart(play));
        }

        @Override
        public void taskStart(TaskEvent task) {
            listeners.forEach(l -> l.taskStart(task));
        }

        @Override
        public void hostResult(HostResultEvent result) {
            listeners.forEach(l -> l.hostResult(result));
        }

        @Override
        public void warning(String message) {
            listeners.forEach(l -> l.warning(message));
        }

        @Override
        public void hostWarning(String host, String message) {
            listeners.forEach(l -> l.hostWarning(host, message));
        }

        @Override
        public void recap(Map<String, HostStats> stats) {
            listeners.forEach(l -> l.recap(stats));
        }

        @Override
        public void playbookEnd(int exitCode) {
            listeners.forEach(l -> l.playbookEnd(exitCode));
        }

        @Override
        public void listing(String line) {
            listeners.forEach(l -> l.listing(line));
        }
    }
}
