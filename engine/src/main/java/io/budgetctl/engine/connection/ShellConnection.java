package io.budgetctl.engine.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * File operations for any connection that can run POSIX commands: stat via {@code stat -c}, read via
 * {@code base64}, write via a temporary file plus {@code mv}. Needs nothing on the host beyond coreutils and a POSIX
 * shell. Transports with a faster path (SFTP) may override.
 */
public abstract class ShellConnection implements Connection {
    private final RoundTrips roundTrips = new RoundTrips();

    /** What this connection has asked the host so far; implementations count each exec and SFTP request. */
    public RoundTrips roundTrips() {
        return roundTrips;
    }

    /** Script that prints one line: type|mode|owner|group|size|mtime|sha1|linktarget, or exit 3 if missing. */
    static final String STAT_SCRIPT = """
            p="$1"
            if [ ! -e "$p" ] && [ ! -L "$p" ]; then exit 3; fi
            if [ -L "$p" ]; then t=link; l=$(readlink -- "$p"); elif [ -d "$p" ]; then t=directory; l=; \
            elif [ -f "$p" ]; then t=file; l=; else t=other; l=; fi
            s=$(stat -c '%a|%U|%G|%s|%Y' -- "$p") || exit 4
            h=
            if [ "$t" = file ]; then h=$(sha1sum -- "$p" 2>/dev/null | cut -d' ' -f1); fi
            printf '%s|%s|%s|%s\\n' "$t" "$s" "$h" "$l"
            """;

    @Override
    public Optional<FileStat> stat(String path, Become become) {
        ExecResult r = exec(new ExecRequest(List.of("/bin/sh", "-c", STAT_SCRIPT, "stat", path), null, null, null,
                become, null));
        if (r.exitCode() == 3) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new IllegalStateException("stat " + path + " failed: " + r.stderr().strip());
        }
        String[] f = r.stdout().stripTrailing().split("\\|", 8);
        String mode = String.format("%04o", Integer.parseInt(f[1], 8));
        return Optional.of(new FileStat(path, f[0], mode, f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                f[6].isEmpty() ? null : f[6], f.length > 7 && !f[7].isEmpty() ? f[7] : null));
    }

    @Override
    public Optional<byte[]> read(String path, Become become) {
        ExecResult r = exec(new ExecRequest(List.of("/bin/sh", "-c",
                "[ -e \"$1\" ] || exit 3; base64 -w0 -- \"$1\"", "read", path), null, null, null, become, null));
        if (r.exitCode() == 3) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new IllegalStateException("read " + path + " failed: " + r.stderr().strip());
        }
        return Optional.of(Base64.getDecoder().decode(r.stdout().strip()));
    }

    @Override
    public boolean write(String path, byte[] content, String mode, String owner, String group, Become become) {
        Optional<FileStat> existing = stat(path, become);
        if (existing.isPresent() && existing.get().isFile()
                && sha1Hex(content).equals(existing.get().sha1())
                && (mode == null || normaliseMode(mode).equals(existing.get().mode()))
                && (owner == null || owner.equals(existing.get().owner()))
                && (group == null || group.equals(existing.get().group()))) {
            return false;
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", WRITE_SCRIPT, "write", path,
                mode == null ? "" : normaliseMode(mode), owner == null ? "" : owner, group == null ? "" : group));
        ExecResult r = exec(new ExecRequest(argv, content, null, null, become, null));
        if (!r.ok()) {
            throw new IllegalStateException("write " + path + " failed: " + r.stderr().strip());
        }
        return true;
    }

    /** $1 path, $2 mode, $3 owner, $4 group; content on stdin. Keeps an existing file's mode when none is asked. */
    static final String WRITE_SCRIPT = """
            set -e
            p="$1"; d=$(dirname -- "$p"); b=$(basename -- "$p")
            t=$(mktemp "$d/.$b.budgetctl.XXXXXX")
            trap 'rm -f -- "$t"' EXIT
            cat > "$t"
            if [ -n "$2" ]; then chmod "$2" "$t"; elif [ -f "$p" ]; then chmod "$(stat -c %a -- "$p")" "$t"; \
            else chmod "$(printf '%o' $(( 0666 & ~$(umask) )))" "$t"; fi
            if [ -n "$3" ]; then chown "$3" "$t"; fi
            if [ -n "$4" ]; then chgrp "$4" "$t"; fi
            mv -f -- "$t" "$p"
            trap - EXIT
            """;

    public static String normaliseMode(String mode) {
        String m = mode.startsWith("0o") ? mode.substring(2) : mode;
        return String.format("%04o", Integer.parseInt(m, 8));
    }

    public static String sha1Hex(byte[] data) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(data);
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
