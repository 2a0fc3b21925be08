package io.budgetctl.modules.files;

import io.budgetctl.engine.connection.ShellConnection;
import io.budgetctl.modules.BadArgument;

/**
 * The file modules' {@code mode:} argument as Ansible reads it: octal numbers and text, and chmod(1)-style symbolic
 * modes worked out against the path's current mode. Pure arithmetic; nothing here runs on the host.
 */
final class FileModes {
    private FileModes() {
    }

    /**
     * The permission bits a {@code mode:} argument asks for, as a 4-digit octal string, given the path's current mode
     * ({@code null} when it does not exist yet: then the umask default 0644/0755 is the base for symbolic modes).
     * Returns null when no mode was given.
     *
     * <p>Integers: playbooks are read as YAML 1.1 like Ansible does, so {@code mode: 0644} arrives as the number 420
     * and is used as that number, exactly like Ansible. {@code mode: 644} without the leading zero is the decimal
     * number 644 = octal 1204, again as in Ansible (the linter warns about it).
     */
    static String mode(Object raw, String currentMode, boolean isDir) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            long v = n.longValue();
            if (v < 0 || v > 07777) {
                throw new BadArgument("mode must be in octal or symbolic form; got " + v);
            }
            return String.format("%04o", v);
        }
        String s = String.valueOf(raw).trim();
        if (s.matches("(0o)?[0-7]{1,4}")) {
            return ShellConnection.normaliseMode(s);
        }
        if (s.equals("preserve")) {
            throw new BadArgument("mode 'preserve' is only valid for copy and template with a controller-side src");
        }
        int base = currentMode != null ? Integer.parseInt(currentMode, 8) : (isDir ? 0755 : 0644);
        return String.format("%04o", symbolic(s, base, isDir));
    }

    /** chmod(1)-style symbolic modes: comma-separated {@code [ugoa]*[-+=][rwxXst]*|[ugo]} clauses. */
    static int symbolic(String spec, int base, boolean isDir) {
        int mode = base & 07777;
        for (String clause : spec.split(",")) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                who |= switch (clause.charAt(i)) {
                    case 'u' -> 04700;
                    case 'g' -> 02070;
                    case 'o' -> 01007;
                    default -> 07777;
                };
                i++;
            }
            if (who == 0) {
                who = 07777; // like Ansible: no "who" means a (the umask is not applied)
            }
            if (i >= clause.length() || "+-=".indexOf(clause.charAt(i)) < 0) {
                throw new BadArgument("bad symbolic permission for mode: " + spec);
            }
            while (i < clause.length()) {
                char op = clause.charAt(i++);
                if ("+-=".indexOf(op) < 0) {
                    throw new BadArgument("bad symbolic permission for mode: " + spec);
                }
                int perm = 0;
                while (i < clause.length() && "+-=".indexOf(clause.charAt(i)) < 0) {
                    char p = clause.charAt(i++);
                    perm |= switch (p) {
                        case 'r' -> 0444;
                        case 'w' -> 0222;
                        case 'x' -> 0111;
                        case 'X' -> (isDir || (mode & 0111) != 0) ? 0111 : 0;
                        case 's' -> 06000;
                        case 't' -> 01000;
                        case 'u' -> copyBits((mode >> 6) & 7);
                        case 'g' -> copyBits((mode >> 3) & 7);
                        case 'o' -> copyBits(mode & 7);
                        default -> throw new BadArgument("bad symbolic permission for mode: " + spec);
                    };
                }
                perm &= who;
                switch (op) {
                    case '+' -> mode |= perm;
                    case '-' -> mode &= ~perm;
                    default -> mode = (mode & ~who) | perm;
                }
            }
        }
        return mode;
    }

    private static int copyBits(int rwx) {
        return rwx * 0111;
    }

    /** A mode that does not depend on the current one (numeric or octal text), as octal; null otherwise. */
    static String fixedMode(Object raw, boolean isDir) {
        if (raw instanceof Number || (raw != null && String.valueOf(raw).trim().matches("(0o)?[0-7]{1,4}"))) {
            try {
                return mode(raw, null, isDir);
            } catch (BadArgument e) {
                return null; // reported where the step-by-step path meets it, as before
            }
        }
        return null;
    }
}
