package io.budgetctl.modules.files;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.template.LazyVars;
import io.budgetctl.modules.ModuleBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code template}: renders a controller-side Jinja2 file (found under {@code templates/}) with the task's variables
 * and puts the result at {@code dest}, like copy. See docs/modules.md.
 */
public final class TemplateModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("src", Arg.required("path"))
            .arg("dest", Arg.required("path"))
            .arg("mode", Arg.of("raw"))
            .arg("owner", Arg.of("str"))
            .arg("group", Arg.of("str"))
            .arg("backup", Arg.of("bool").withDefault(false))
            .arg("validate", Arg.of("str"))
            .arg("force", Arg.of("bool").withDefault(true))
            .build();

    public TemplateModule() {
        super("template", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String src = args.str("src");
        Optional<Path> local = ctx.findFile("templates", src);
        if (local.isEmpty()) {
            return Result.failed("Could not find or access '" + src + "' on the controller (searched in the role's "
                    + "and the playbook's templates/ directories)");
        }
        Path p = local.get();
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Result.failed("Source " + p + " not readable: " + e.getMessage());
        }
        String dest = args.str("dest");
        // the variables Ansible's template action adds; added without copying ctx.vars(), whose templates render
        // only when the template file reads them
        Map<String, Object> added = new HashMap<>();
        if (!ctx.vars().containsKey("ansible_managed")) {
            added.put("ansible_managed", "Ansible managed");
        }
        added.put("template_host", ctx.host());
        added.put("template_path", p.toString());
        added.put("template_fullpath", p.toAbsolutePath().toString());
        added.put("template_destpath", dest);
        Map<String, Object> vars = LazyVars.with(ctx.vars(), added);
        String rendered;
        try {
            // includes and imports are found as Ansible's template action sets the search path: the role's and
            // the playbook's directories, then the template's own (each's templates/ first)
            java.util.List<Path> searchPath = new java.util.ArrayList<>(ctx.searchDirs());
            searchPath.add(p.toAbsolutePath().getParent());
            rendered = ctx.templater().renderText(text, vars, ctx.location(), searchPath);
        } catch (EngineException e) {
            return Result.failed(e.getMessage());
        }
        try {
            Object mode = args.raw("mode");
            if ("preserve".equals(mode)) {
                mode = String.format("%04o", posixBits(p));
            }
            return FileContentPut.put(ctx, new FileContentPut.Request(dest, rendered.getBytes(StandardCharsets.UTF_8),
                    mode, args.str("owner"), args.str("group"), args.bool("backup"), args.str("validate"),
                    args.bool("force"), p.getFileName().toString(), p.toString()));
        } catch (IOException e) {
            return Result.failed("Source " + p + " not readable: " + e.getMessage());
        }
    }

    private static int posixBits(Path p) throws IOException {
        int m = 0;
        for (java.nio.file.attribute.PosixFilePermission perm : Files.getPosixFilePermissions(p)) {
            m |= 1 << (8 - perm.ordinal());
        }
        return m;
    }
}
