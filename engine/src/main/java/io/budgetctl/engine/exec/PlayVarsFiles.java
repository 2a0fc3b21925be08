package io.budgetctl.engine.exec;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.PlaybookLoader;
import io.budgetctl.engine.playbook.YamlLoader;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.engine.template.Templater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A play's {@code vars_files:} as one host reads them when its batch starts: each entry a file, or a list of
 * candidates of which the first that exists is read, relative to the playbook's directory. The names are templates
 * over what is known of the host before the play's first task (inventory, the play's vars, facts set in earlier
 * plays, extra vars, inventory_hostname, playbook_dir), so two hosts can read different files. (Not the inventory's
 * group_vars/host_vars, which {@link io.budgetctl.engine.inventory.VarsFiles} reads.)
 */
final class PlayVarsFiles {
    private final HostInventory inventory;
    private final Templater templater;
    private final Map<String, Object> extraVars;

    PlayVarsFiles(HostInventory inventory, Templater templater, Map<String, Object> extraVars) {
        this.inventory = inventory;
        this.templater = templater;
        this.extraVars = extraVars;
    }

    /**
     * The variables {@code play}'s vars_files give {@code host} ({@code setFacts}: its set_fact/register results so
     * far), later files over earlier ones; empty without vars_files.
     *
     * @throws EngineException when no candidate of an entry exists, or a file is not a mapping
     */
    Map<String, Object> load(Play play, String host, Map<String, Object> setFacts) {
        Object vf = play.kw().get("vars_files");
        Map<String, Object> out = new LinkedHashMap<>();
        if (vf == null) {
            return out;
        }
        List<Object> entries = vf instanceof List<?> l ? new ArrayList<>(l) : List.of(vf);
        Map<String, Object> raw = new LinkedHashMap<>(inventory.hostVars(host));
        raw.putAll(Variables.playVarsRaw(play));
        raw.putAll(setFacts);
        raw.putAll(extraVars);
        raw.put("inventory_hostname", host);
        raw.put("playbook_dir", play.baseDir().toString());
        SourceLocation at = play.location();
        Map<String, Object> vars = new LazyVars(templater, raw, at);
        for (Object entry : entries) {
            List<Object> choices = entry instanceof List<?> l ? new ArrayList<>(l) : List.of(entry);
            Path found = null;
            List<String> tried = new ArrayList<>();
            for (Object c : choices) {
                String name = String.valueOf(templater.render(String.valueOf(c), vars, at));
                Path p = play.baseDir().resolve(name);
                tried.add(p.toString());
                if (Files.isRegularFile(p)) {
                    found = p;
                    break;
                }
            }
            if (found == null) {
                throw new EngineException(at, "vars file not found: " + String.join(" or ", tried),
                        "vars_files paths are relative to the playbook directory");
            }
            Object data = YamlLoader.load(found);
            if (data != null) {
                if (!(data instanceof Map<?, ?>)) {
                    throw new EngineException(SourceLocation.of(found.toString()), "a vars file must be a mapping",
                            null);
                }
                out.putAll(PlaybookLoader.asMap(data));
            }
        }
        return out;
    }
}
