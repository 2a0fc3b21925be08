package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fetch}: copies one file from the host ({@code src}) to the controller ({@code dest}), like Ansible's fetch.
 *
 * <p>Where it lands: with {@code flat: false} (the default) at {@code dest/<inventory host>/<src without leading
 * />}, so fetching the same path from several hosts never collides; with {@code flat: true} at {@code dest} itself,
 * or {@code dest/<basename of src>} when dest ends in {@code /}.
 *
 * <p>On the host it runs one {@code /bin/sh} script (type checks and {@code sha1sum}), then reads the file through the
 * connection (SFTP over ssh). The bytes received are hashed again and compared with the host's SHA-1 before
 * anything is written on the controller ({@code validate_checksum}, default yes); the write is a temporary file in
 * the destination directory renamed over dest, so dest is never half-written. Idempotent: when dest already has the
 * host file's SHA-1, nothing is transferred ({@code ok}). Check mode: full (reports changed without transferring).
 * The file is held in memory while it is transferred: fine for dumps of some hundred MB, not for tens of GB.
 *
 * <p>Result keys: {@code changed}, {@code checksum} (SHA-1 of dest), {@code remote_checksum}, {@code dest},
 * {@code file} (src), {@code size}. Failures: {@code file not found: /x} (unless {@code fail_on_missing: no}, then
 * ok with {@code the remote file does not exist, not transferring, ignored}), {@code remote file is a directory,
 * fetch cannot work on directories}, {@code file is not readable: /x}, {@code checksum mismatch ...}.
 */
public final class FetchModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("src", Arg.required("str"))
            .arg("dest", Arg.required("path"))
            .arg("flat", Arg.of("bool").withDefault(false))
            .arg("fail_on_missing", Arg.of("bool").withDefault(true))
            .arg("validate_checksum", Arg.of("bool").withDefault(true))
            .build();

    /** $1 src. Exit 3 missing, 4 directory, 5 unreadable; else prints the SHA-1 and size, space separated. */
    static final String PROBE = """
            p="$1"
            [ -e "$p" ] || exit 3
            [ -d "$p" ] && exit 4
            [ -r "$p" ] || exit 5
            s=$(sha1sum -- "$p") || exit 6
            printf '%s %s\\n' "${s%% *}" "$(stat -L -c %s -- "$p")"
            """;

    public FetchModule() {
        super("fetch", SPEC, CheckMode.FULL);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String src = args.str("src");
        String dest = args.str("dest");
        if (src == null || src.isBlank() || dest == null || dest.isBlank()) {
            return Result.failed("src and dest are required");
        }
        Path target = target(ctx.host(), src, dest, args.bool("flat"));
        ExecResult probe = HostCommands.script(ctx, PROBE, src);
        switch (probe.exitCode()) {
            case 0 -> {
            }
            case 3 -> {
                if (args.bool("fail_on_missing")) {
                    return Result.failed("file not found: " + src, Result.data("file", src));
                }
                return new Result.Ok("the remote file does not exist, not transferring, ignored",
                        Result.data("file", src));
            }
            case 4 -> {
                return Result.failed("remote file is a directory, fetch cannot work on directories",
                        Result.data("file", src));
            }
            case 5 -> {
                return Result.failed("file is not readable: " + src + " (as " + whoAs(ctx) + ")",
                        Result.data("file", src));
            }
            default -> {
                return Result.failed("could not checksum " + src + " on the host (rc=" + probe.exitCode() + "): "
                        + probe.stderr().strip(), Result.data("file", src));
            }
        }
        String[] f = probe.stdout().strip().split(" ");
        String remoteSum = f[0];
        long size = Long.parseLong(f[1]);
        Optional<String> localSum = localSha1(target);
        if (localSum.isPresent() && localSum.get().equals(remoteSum)) {
            return Result.ok(data(src, target, remoteSum, remoteSum, size));
        }
        if (ctx.check()) {
            return Result.changed(data(src, target, localSum.orElse(null), remoteSum, size));
        }
        byte[] content = ctx.connection().read(src, ctx.become())
                .orElseThrow(() -> new IllegalStateException(src + " vanished on " + ctx.host() + " while fetching"));
        String got = FileSupport.hex("SHA-1", content);
        if (args.bool("validate_checksum") && !got.equals(remoteSum)) {
            return Result.failed("checksum mismatch: " + src + " on the host has SHA-1 " + remoteSum
                    + " but the bytes received hash to " + got + " (the file changed while it was read, or the "
                    + "transfer was corrupted); " + target + " was not written", data(src, target, got, remoteSum,
                    size));
        }
        try {
            write(target, content);
        } catch (IOException e) {
            return Result.failed("could not write " + target + " on the controller: " + e.getMessage(),
                    Result.data("file", src, "dest", target.toString()));
        }
        return Result.changed(data(src, target, got, remoteSum, content.length));
    }

    /** Where {@code src} of {@code host} lands on the controller. */
    static Path target(String host, String src, String dest, boolean flat) {
        if (flat) {
            return dest.endsWith("/") ? Path.of(dest, FileSupport.basename(src)) : Path.of(dest);
        }
        String rel = src.replaceFirst("^/+", "");
        return Path.of(dest, host, rel);
    }

    private static Map<String, Object> data(String src, Path target, String sum, String remoteSum, long size) {
        Map<String, Object> d = Result.data("file", src, "dest", target.toString(), "remote_checksum", remoteSum,
                "size", size);
        if (sum != null) {
            d.put("checksum", sum);
        }
        return d;
    }

    private static Optional<String> localSha1(Path p) {
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(FileSupport.hex("SHA-1", Files.readAllBytes(p)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String whoAs(ModuleContext ctx) {
        return ctx.become().enabled() ? "become user " + ctx.become().user() : "the connection user";
    }
}
