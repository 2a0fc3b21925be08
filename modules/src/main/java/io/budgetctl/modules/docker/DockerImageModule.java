package io.budgetctl.modules.docker;

import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker_image}: makes an image present on the host's engine — pulled from its registry ({@code source: pull})
 * or loaded from a {@code docker save} tar already on the host ({@code source: load}, {@code load_path}) — or
 * removes it ({@code state: absent}).
 *
 * <p>As in Ansible, a present image is left alone unless {@code force_source: true} (pull again, load again).
 * Changed when the image id ({@code docker image inspect}) differs before and after, so pulling an unchanged tag is
 * ok. Check mode (partial): exact for absent images and for removal; whether a forced pull would bring a new image
 * cannot be known without pulling, so it is reported as a possible change.
 */
public final class DockerImageModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("name", Arg.required("str"))
            .arg("tag", Arg.of("str"))
            .arg("source", Arg.of("str").withDefault("pull").withChoices("pull", "load", "local"))
            .arg("load_path", Arg.of("path"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent"))
            .arg("force_source", Arg.of("bool").withDefault(false))
            .arg("timeout", Arg.of("int").withDefault(600))
            .build();

    public DockerImageModule() {
        super("docker_image", SPEC, CheckMode.PARTIAL);
    }

    @Override
    public Set<String> aliases() {
        return Set.of("community.docker.docker_image");
    }

    /** {@code name:tag}; a name that already carries a tag or digest keeps it unless tag is given. */
    static String reference(String name, String tag) {
        if (tag != null && !tag.isBlank()) {
            int at = name.indexOf('@');
            String bare = at >= 0 ? name.substring(0, at) : name;
            int slash = bare.lastIndexOf('/');
            int colon = bare.lastIndexOf(':');
            if (colon > slash) {
                bare = bare.substring(0, colon);
            }
            return bare + ":" + tag;
        }
        int slash = name.lastIndexOf('/');
        return name.contains("@") || name.lastIndexOf(':') > slash ? name : name + ":latest";
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String ref = reference(args.str("name").strip(), args.str("tag"));
        String source = args.str("source");
        String loadPath = args.str("load_path");
        boolean present = "present".equals(args.str("state"));
        boolean force = args.bool("force_source");
        int timeout = args.integer("timeout", 600);
        if (present && "load".equals(source) && (loadPath == null || loadPath.isBlank())) {
            return Result.failed("source=load needs load_path: a 'docker save' tar on the host");
        }

        String before = imageId(ctx, ref);
        Map<String, Object> data = ModuleOutput.map("image", ref, "id_before", before);
        if (!present) {
            if (before == null) {
                return Result.ok(data);
            }
            if (ctx.check()) {
                return Result.changed(data);
            }
            ExecResult r = ctx.exec(ExecRequest.of(removeArgv(ref).toArray(String[]::new)));
            if (!r.ok()) {
                data.putAll(DockerSupport.execData(r));
                return Result.failed("docker image rm " + ref + " failed: " + DockerSupport.reason(r)
                        + " (a container still uses it?)", data);
            }
            return Result.changed(data);
        }
        if (before != null && !force) {
            data.put("id", before);
            return Result.ok(data);
        }
        if ("local".equals(source)) {
            return before != null ? Result.ok(data) : Result.failed("image " + ref + " is not on the host and "
                    + "source=local does not fetch it; use source=pull or source=load", data);
        }
        if (ctx.check()) {
            if (before != null) {
                return new Result.Changed("force_source: " + source + " may bring a different image; not known in "
                        + "check mode", data, List.of());
            }
            if ("load".equals(source) && ctx.connection().stat(loadPath, ctx.become()).isEmpty()) {
                return Result.failed("load_path " + loadPath + " does not exist on the host", data);
            }
            return Result.changed(data);
        }
        List<String> argv = "load".equals(source) ? loadArgv(loadPath) : pullArgv(ref);
        ExecResult r = ctx.exec(ExecRequest.of(argv.toArray(String[]::new)).withTimeout(Duration.ofSeconds(timeout)));
        data.putAll(DockerSupport.execData(r));
        if (!r.ok()) {
            return Result.failed(String.join(" ", argv.subList(0, 2)) + " of " + ref + " failed: "
                    + DockerSupport.reason(r), data);
        }
        String after = imageId(ctx, ref);
        data.put("id", after);
        if (after == null) {
            return Result.failed("after " + String.join(" ", argv.subList(0, 2)) + ", " + ref + " is still not on the "
                    + "host: the tar holds other tags (see stdout)", data);
        }
        return Result.of(!after.equals(before), data);
    }

    /** The image id of {@code ref} on the host, or null when the engine does not have it. */
    private static String imageId(ModuleContext ctx, String ref) {
        ExecResult r = ctx.exec(ExecRequest.of(inspectArgv(ref).toArray(String[]::new)));
        return r.ok() && !r.stdout().isBlank() ? r.stdout().strip() : null;
    }

    static List<String> inspectArgv(String ref) {
        return List.of("docker", "image", "inspect", "--format", "{{.Id}}", ref);
    }

    static List<String> pullArgv(String ref) {
        return List.of("docker", "pull", "--quiet", ref);
    }

    static List<String> loadArgv(String path) {
        return List.of("docker", "load", "--input", path);
    }

    static List<String> removeArgv(String ref) {
        return List.of("docker", "image", "rm", ref);
    }
}
