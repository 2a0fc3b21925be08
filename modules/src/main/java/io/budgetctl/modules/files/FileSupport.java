package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.FileStat;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The small pieces every file module uses: a stat of a path, a host command that must succeed, path names, digests
 * and --diff text. The larger concerns have their own classes: {@link FileModes} (the {@code mode:} argument),
 * {@link FileProbe} (what a path is, in one command), {@link FileAttributes} (mode, owner, group),
 * {@link AtomicPut} (writing and backups) and {@link FileValidate}. Everything on the host goes through argv lists
 * ({@link HostCommands}); user values only ever travel as positional arguments.
 */
final class FileSupport {
    private FileSupport() {
    }

    /** The path as the task's become user sees it; empty when it does not exist. */
    static Optional<FileStat> stat(ModuleContext ctx, String path) {
        return ctx.connection().stat(path, ctx.become());
    }

    /** Throws a {@link BadArgument} (turned into a failed result) when a host command failed. */
    static ExecResult must(ExecResult r, String what) {
        if (!r.ok()) {
            String err = r.stderr().strip();
            throw new BadArgument(what + " failed" + (err.isEmpty() ? " (rc=" + r.exitCode() + ")" : ": " + err));
        }
        return r;
    }

    /** Text for --diff: UTF-8 content, or null for binary (NUL byte or not UTF-8), like Ansible's binary check. */
    static String diffText(byte[] content) {
        if (content == null) {
            return "";
        }
        for (byte b : content) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static String hex(String algorithm, byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance(algorithm).digest(data);
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new BadArgument("unsupported checksum algorithm: " + algorithm);
        }
    }

    static String dirname(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : i == 0 ? "/" : path.substring(0, i);
    }

    static String basename(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
