package io.budgetctl.modules.system;

import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.HostCommands;
import io.budgetctl.modules.ModuleBase;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code user}: a local account on a Linux host, made with {@code useradd}, changed with {@code usermod}, removed with
 * {@code userdel}, deciding as ansible-core 2.14's module does on Linux (what differs is compared: uid, primary group,
 * supplementary groups with or without {@code append}, comment, home with {@code move_home}, shell, expiry, password
 * hash, lock). What the host has is read in one command ({@code getent passwd/shadow/group}); the password is a hash
 * and never comes back ({@code NOT_LOGGING_PASSWORD}). Not supported (refused as unknown parameters): SSH key
 * generation, password ageing, SELinux user, skeleton, umask, login classes and the other platforms' options.
 */
public final class UserModule extends ModuleBase {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("name", Arg.required("str").withAliases("user"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("absent", "present"))
            .arg("uid", Arg.of("int"))
            .arg("non_unique", Arg.of("bool").withDefault(false))
            .arg("group", Arg.of("str"))
            .arg("groups", Arg.of("list"))
            .arg("append", Arg.of("bool").withDefault(false))
            .arg("comment", Arg.of("str"))
            .arg("home", Arg.of("path"))
            .arg("move_home", Arg.of("bool").withDefault(false))
            .arg("create_home", Arg.of("bool").withDefault(true).withAliases("createhome"))
            .arg("shell", Arg.of("str"))
            .arg("system", Arg.of("bool").withDefault(false))
            .arg("password", Arg.of("str"))
            .arg("update_password", Arg.of("str").withDefault("always").withChoices("always", "on_create"))
            .arg("password_lock", Arg.of("bool"))
            .arg("expires", Arg.of("float"))
            .arg("force", Arg.of("bool").withDefault(false))
            .arg("remove", Arg.of("bool").withDefault(false))
            .build();

    /**
     * $1 the user, then groups to look up. Prints NUL-separated sections: the passwd line (empty: no such user), the
     * shadow line (empty when not readable), the groups listing the user as a member (name:gid per line), then for
     * each asked group its group line (empty: no such group).
     */
    static final String INFO_SCRIPT = """
            u="$1"; shift
            getent passwd "$u"; printf '\\0'
            getent shadow "$u" 2>/dev/null; printf '\\0'
            getent group | while IFS=: read -r n x g m; do
              case ",$m," in *",$u,"*) printf '%s:%s\\n' "$n" "$g";; esac
            done; printf '\\0'
            for g in "$@"; do getent group "$g"; printf '\\0'; done
            """;

    public UserModule() {
        super("user", SPEC, CheckMode.FULL);
    }

    /** What the host says about the user and the groups the task names. */
    private record Info(String[] passwd, String[] shadow, List<String> memberOf, Map<String, String[]> groups) {
        boolean exists() {
            return passwd != null;
        }

        String passwordHash() {
            if (passwd == null) {
                return "";
            }
            // as Ansible: a one-character (or empty) passwd field means the hash is in the shadow file
            return passwd[1].length() <= 1 && shadow != null ? shadow[1] : passwd[1];
        }

        /** The shadow file's expiry in days since the epoch; -1 when none. */
        long expiresDays() {
            return shadow == null || shadow.length < 8 || shadow[7].isEmpty() ? -1 : Long.parseLong(shadow[7]);
        }

        String[] group(String nameOrGid) {
            return groups.get(nameOrGid);
        }
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String name = args.str("name");
        boolean present = "present".equals(args.str("state"));
        List<String> groups = args.has("groups") ? args.strings("groups") : null;
        String group = args.str("group");
        List<String> lookUp = new ArrayList<>();
        if (group != null) {
            lookUp.add(group);
        }
        if (groups != null) {
            lookUp.addAll(groups);
        }
        lookUp.add(name);
        Info info = info(ctx, name, lookUp);
        String password = args.str("password");
        List<String> warnings = new ArrayList<>();
        if (password != null && !Set.of("*", "!", "*************").contains(password) && !password.startsWith("$")) {
            warnings.add("The input password appears not to have been hashed. The 'password' argument must be"
                    + " encrypted for this module to work properly.");
        }

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("state", present ? "present" : "absent");
        ExecResult ran = null;
        boolean changed = false;
        if (!present) {
            if (info.exists()) {
                if (ctx.check()) {
                    return Result.changed(new LinkedHashMap<>());
                }
                List<String> cmd = new ArrayList<>(List.of("userdel"));
                if (args.bool("force")) {
                    cmd.add("-f");
                }
                if (args.bool("remove")) {
                    cmd.add("-r");
                }
                cmd.add(name);
                ran = HostCommands.run(ctx, cmd);
                if (!ran.ok()) {
                    return failed(name, ran);
                }
                data.put("force", args.bool("force"));
                data.put("remove", args.bool("remove"));
            }
        } else if (!info.exists()) {
            if (ctx.check()) {
                return Result.changed(new LinkedHashMap<>());
            }
            List<String> cmd = useradd(ctx, args, name, group, groups, info, password);
            if (cmd == null) {
                return Result.failed("Group " + missingGroup(info, group, groups) + " does not exist");
            }
            ran = HostCommands.run(ctx, cmd);
            data.put("system", args.bool("system"));
            data.put("create_home", args.bool("create_home"));
        } else {
            String missing = missingGroup(info, group, groups);
            if (missing != null) {
                return Result.failed("Group " + missing + " does not exist");
            }
            List<String> cmd = usermod(args, name, group, groups, info, password);
            if (cmd.size() > 1) {
                cmd.add(name);
                if (ctx.check()) {
                    changed = true;
                } else {
                    ran = HostCommands.run(ctx, cmd);
                }
            }
            data.put("append", args.bool("append"));
            data.put("move_home", args.bool("move_home"));
        }
        if (ran != null && !ran.ok()) {
            return failed(name, ran);
        }
        if (present && password != null) {
            data.put("password", "NOT_LOGGING_PASSWORD");
        }
        changed |= ran != null;
        if (ran != null && !ran.stdout().isEmpty()) {
            data.put("stdout", ran.stdout());
        }
        if (ran != null && !ran.stderr().isEmpty()) {
            data.put("stderr", ran.stderr());
        }
        if (present) {
            Info now = ran == null ? info : info(ctx, name, List.of());
            if (now.exists()) {
                data.put("uid", Integer.parseInt(now.passwd()[2]));
                data.put("group", Integer.parseInt(now.passwd()[3]));
                data.put("comment", now.passwd()[4]);
                data.put("home", now.passwd()[5]);
                data.put("shell", now.passwd()[6]);
                if (groups != null) {
                    data.put("groups", String.join(",", groups));
                }
                if (args.bool("create_home") && !ctx.check()) {
                    ExecResult home = HostCommands.script(ctx, """
                            [ -e "$1" ] && exit 3
                            mkdir -p -- "$1" && { [ ! -d /etc/skel ] || cp -a /etc/skel/. "$1"/; } \
                            && chown -R "$2:$3" -- "$1"
                            """, now.passwd()[5], now.passwd()[2], now.passwd()[3]);
                    if (home.exitCode() == 0) {
                        changed = true;
                    } else if (home.exitCode() != 3) {
                        return Result.failed("cannot create the home directory " + now.passwd()[5] + ": "
                                + home.stderr().strip());
                    }
                }
            }
        }
        if (!warnings.isEmpty()) {
            data.put("warnings", warnings);
        }
        return Result.of(changed, data);
    }

    private static Result failed(String name, ExecResult ran) {
        return Result.failed(ran.stderr().strip(), Result.data("name", name, "rc", ran.exitCode()));
    }

    private static Info info(ModuleContext ctx, String name, List<String> groups) {
        List<String> positional = new ArrayList<>();
        positional.add(name);
        positional.addAll(groups);
        ExecResult r = HostCommands.script(ctx, INFO_SCRIPT, positional.toArray(String[]::new));
        String[] parts = r.stdout().split("\0", -1);
        if (parts.length < 3 + groups.size()) {
            throw new BadArgument("cannot read the accounts on the host: " + r.stderr().strip());
        }
        String[] passwd = parts[0].isBlank() ? null : parts[0].strip().split(":", -1);
        String[] shadow = parts[1].isBlank() ? null : parts[1].strip().split(":", -1);
        List<String> memberOf = new ArrayList<>();
        for (String l : parts[2].split("\n")) {
            if (!l.isBlank()) {
                memberOf.add(l.substring(0, l.indexOf(':')));
            }
        }
        Map<String, String[]> found = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = parts[3 + i].strip();
            found.put(groups.get(i), g.isEmpty() ? null : g.split(":", -1));
        }
        return new Info(passwd, shadow, memberOf, found);
    }

    private static String missingGroup(Info info, String group, List<String> groups) {
        if (group != null && info.group(group) == null) {
            return group;
        }
        for (String g : groups == null ? List.<String>of() : groups) {
            if (info.group(g) == null) {
                return g;
            }
        }
        return null;
    }

    private static String date(double epochSeconds) {
        return LocalDate.ofInstant(Instant.ofEpochSecond((long) Math.floor(epochSeconds)), ZoneOffset.UTC).toString();
    }

    /** The useradd command, or null when a group the task names does not exist. */
    private static List<String> useradd(ModuleContext ctx, Args args, String name, String group,
                                        List<String> groups, Info info, String password) {
        if (missingGroup(info, group, groups) != null) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of("useradd"));
        if (args.has("uid")) {
            cmd.add("-u");
            cmd.add(String.valueOf(args.integer("uid")));
            if (args.bool("non_unique")) {
                cmd.add("-o");
            }
        }
        if (group != null) {
            cmd.add("-g");
            cmd.add(group);
        } else if (info.group(name) != null) {
            cmd.add("-N"); // a group named like the user exists: useradd would refuse to make one
        }
        if (groups != null && !groups.isEmpty()) {
            cmd.add("-G");
            cmd.add(String.join(",", new LinkedHashSet<>(groups)));
        }
        if (args.has("comment")) {
            cmd.add("-c");
            cmd.add(args.str("comment"));
        }
        boolean createHome = args.bool("create_home");
        String home = args.str("home");
        if (home != null) {
            if (createHome) {
                // as Ansible, whose module makes a missing parent itself before useradd
                String parent = home.contains("/") ? home.substring(0, Math.max(1, home.lastIndexOf('/'))) : ".";
                HostCommands.run(ctx, List.of("mkdir", "-p", "--", parent));
            }
            cmd.add("-d");
            cmd.add(home);
        }
        if (args.has("shell")) {
            cmd.add("-s");
            cmd.add(args.str("shell"));
        }
        if (args.has("expires")) {
            double e = args.number("expires", 0);
            cmd.add("-e");
            cmd.add(e < 0 ? "" : date(e));
        }
        if (password != null) {
            cmd.add("-p");
            cmd.add(Boolean.TRUE.equals(lock(args)) ? "!" + password : password);
        }
        cmd.add(createHome ? "-m" : "-M");
        if (args.bool("system")) {
            cmd.add("-r");
        }
        cmd.add(name);
        return cmd;
    }

    private static Boolean lock(Args args) {
        return args.boolOrNull("password_lock");
    }

    /** usermod and the options for what differs (just "usermod" when nothing does). */
    private static List<String> usermod(Args args, String name, String group, List<String> groups,
                                        Info info, String password) {
        String[] pw = info.passwd();
        List<String> cmd = new ArrayList<>(List.of("usermod"));
        if (args.has("uid") && !pw[2].equals(String.valueOf(args.integer("uid")))) {
            cmd.add("-u");
            cmd.add(String.valueOf(args.integer("uid")));
            if (args.bool("non_unique")) {
                cmd.add("-o");
            }
        }
        if (group != null && !pw[3].equals(info.group(group)[2])) {
            cmd.add("-g");
            cmd.add(info.group(group)[2]);
        }
        if (groups != null) {
            boolean append = args.bool("append");
            List<String> current = info.memberOf();
            if (groups.isEmpty()) {
                if (!current.isEmpty() && !append) {
                    cmd.add("-G");
                    cmd.add("");
                }
            } else {
                Set<String> wanted = new LinkedHashSet<>(groups);
                Set<String> diff = new LinkedHashSet<>(current);
                diff.addAll(wanted);
                Set<String> both = new LinkedHashSet<>(current);
                both.retainAll(wanted);
                diff.removeAll(both);
                boolean need = !diff.isEmpty() && (!append || wanted.stream().anyMatch(diff::contains));
                if (need) {
                    if (append) {
                        cmd.add("-a");
                    }
                    cmd.add("-G");
                    cmd.add(String.join(",", wanted));
                }
            }
        }
        if (args.has("comment") && !pw[4].equals(args.str("comment"))) {
            cmd.add("-c");
            cmd.add(args.str("comment"));
        }
        if (args.has("home") && !pw[5].equals(args.str("home"))) {
            cmd.add("-d");
            cmd.add(args.str("home"));
            if (args.bool("move_home")) {
                cmd.add("-m");
            }
        }
        if (args.has("shell") && !pw[6].equals(args.str("shell"))) {
            cmd.add("-s");
            cmd.add(args.str("shell"));
        }
        if (args.has("expires")) {
            double e = args.number("expires", 0);
            long current = info.expiresDays();
            if (e < 0) {
                if (current >= 0) {
                    cmd.add("-e");
                    cmd.add("");
                }
            } else if (current < 0 || !LocalDate.ofEpochDay(current).toString().equals(date(e))) {
                cmd.add("-e");
                cmd.add(date(e));
            }
        }
        String hash = info.passwordHash();
        Boolean lock = lock(args);
        if (Boolean.TRUE.equals(lock) && !hash.startsWith("!")) {
            cmd.add("-L");
        } else if (Boolean.FALSE.equals(lock) && hash.startsWith("!")) {
            cmd.add("-U");
        }
        if ("always".equals(args.str("update_password")) && password != null
                && !stripBang(hash).equals(stripBang(password))) {
            cmd.removeIf(c -> c.equals("-L") || c.equals("-U"));
            cmd.add("-p");
            cmd.add(Boolean.TRUE.equals(lock) ? "!" + password : password);
        }
        return cmd;
    }

    private static String stripBang(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '!') {
            i++;
        }
        return s.substring(i);
    }
}
