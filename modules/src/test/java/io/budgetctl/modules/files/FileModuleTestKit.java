package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.LocalConnection;
import io.budgetctl.engine.module.Module;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a module against a real {@link LocalConnection}, in normal, check or diff mode. */
final class FileModuleTestKit {
    private final LocalConnection connection = new LocalConnection("localhost");
    private final Module module;
    private final Path searchDir;
    private Map<String, Object> vars = Map.of();

    FileModuleTestKit(Module module, Path searchDir) {
        this.module = module;
        this.searchDir = searchDir;
    }

    /** Commands this kit's connection has run so far (see {@link io.budgetctl.engine.connection.RoundTrips}). */
    io.budgetctl.engine.connection.RoundTrips.Counts roundTrips() {
        return connection.roundTrips().snapshot();
    }

    FileModuleTestKit vars(Map<String, Object> v) {
        this.vars = v;
        return this;
    }

    Result run(Object... kv) {
        return run(false, false, kv);
    }

    Result check(Object... kv) {
        return run(true, true, kv);
    }

    Result diff(Object... kv) {
        return run(false, true, kv);
    }

    Result run(boolean check, boolean diff, Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            args.put((String) kv[i], kv[i + 1]);
        }
        List<String> problems = module.spec().validate(args);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        SimpleModuleContext ctx = new SimpleModuleContext("localhost", connection, check, diff, null, null, vars,
                new io.budgetctl.engine.template.JinjavaTemplater(), null, searchDir == null ? List.of() : List.of(searchDir));
        return module.run(ctx, args);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    static String mode(Path p) throws IOException {
        int m = 0;
        for (var perm : Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            m |= 1 << (8 - perm.ordinal());
        }
        return String.format("%04o", m);
    }

    static void chmod(Path p, String rwx) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx));
    }
}
