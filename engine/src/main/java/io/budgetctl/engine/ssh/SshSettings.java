package io.budgetctl.engine.ssh;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to reach one host, resolved from its inventory variables: where (host, port, jump hops), who
 * (user, key files, optional password), how to trust it (known_hosts files, policy) and how long to wait.
 *
 * @param knownHostsFiles files searched for the host's key, in order; {@code knownHostsFiles.get(0)} is where
 *                        accept-new records new keys (OpenSSH's first UserKnownHostsFile)
 * @param identityFiles   explicit key files; empty means the default ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 * @param identityAgent   where the ssh-agent listens: {@link #AGENT_FROM_ENV} (the socket named by SSH_AUTH_SOCK,
 *                        the default), a socket path (-o IdentityAgent=...), or null for no agent
 *                        ({@code budgetctl_ssh_agent: false}, -o IdentitiesOnly=yes, -o IdentityAgent=none)
 * @param privateKey      the text of the private key held in memory ({@code budgetctl_ssh_key}: the deployments
 *                        repository's {@code ssh.key}, resolved from SOPS or Vault), or null; when set it is the only
 *                        key offered: key files, default keys and the ssh-agent are left out
 * @param privateKeySource what {@code privateKey} is, for messages ({@code ssh.key of customer acme (sops:...)})
 * @param pinnedHostKey   the server's key pinned by {@code budgetctl_ssh_host_key} ({@code ssh.host_key}), or null;
 *                        when set it replaces known_hosts and the host-key policy for this host (not for its bastions)
 * @param pinSource       what pinned it, for messages
 */
record SshSettings(String inventoryName, String hostname, int port, String user, List<Path> identityFiles,
                   Secret password, List<Path> knownHostsFiles, HostKeyPolicy hostKeyPolicy, boolean policyExplicit,
                   List<Jump> jumps, Duration connectTimeout, int connectAttempts, Duration keepAlive,
                   String identityAgent, Secret privateKey, String privateKeySource, HostKeyPin pinnedHostKey,
                   String pinSource) {

    /** Host variable: the private key text (normally a {@link Secret} from the repository's {@code ssh.key}). */
    static final String KEY_VAR = "budgetctl_ssh_key";
    /** Host variable: the secret reference {@link #KEY_VAR} was resolved from (for messages). */
    static final String KEY_REF_VAR = "budgetctl_ssh_key_ref";
    /** Host variable: the pinned host key ({@code ssh.host_key}). */
    static final String HOST_KEY_VAR = "budgetctl_ssh_host_key";

    SshSettings(String inventoryName, String hostname, int port, String user, List<Path> identityFiles,
                Secret password, List<Path> knownHostsFiles, HostKeyPolicy hostKeyPolicy, boolean policyExplicit,
                List<Jump> jumps, Duration connectTimeout, int connectAttempts, Duration keepAlive,
                String identityAgent) {
        this(inventoryName, hostname, port, user, identityFiles, password, knownHostsFiles, hostKeyPolicy,
                policyExplicit, jumps, connectTimeout, connectAttempts, keepAlive, identityAgent, null, null, null,
                null);
    }

    static final String AGENT_FROM_ENV = "SSH_AUTH_SOCK";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    SshSettings {
        identityFiles = List.copyOf(identityFiles);
        knownHostsFiles = List.copyOf(knownHostsFiles);
        jumps = List.copyOf(jumps);
    }

    /** {@code user@host:port} as messages show it. */
    String target() {
        return user + "@" + hostname + ":" + port;
    }

    /**
     * Same settings for a bastion hop (same keys, trust and timeouts; the hop's own address and user). The pinned
     * host key is the target's, so the hop's key is checked against known_hosts.
     */
    SshSettings forHop(Jump hop) {
        return new SshSettings(hop.host(), hop.host(), hop.port(), hop.user() == null ? user : hop.user(),
                identityFiles, null, knownHostsFiles, hostKeyPolicy, policyExplicit, List.of(), connectTimeout,
                connectAttempts, keepAlive, identityAgent, privateKey, privateKeySource, null, null);
    }

    boolean useAgent() {
        return identityAgent != null;
    }

    /**
     * Resolves the connection variables of one host. Ansible's own variables ({@code ansible_port}...) win over
     * options in {@code ansible_ssh_common_args}/{@code ansible_ssh_extra_args}.
     *
     * @param home the user's home directory (for ~/.ssh)
     * @param localUser the default login user (as ssh uses the local user name)
     */
    static SshSettings resolve(String host, Map<String, Object> vars, Path home, String localUser) {
        OpenSshArgs args;
        try {
            args = OpenSshArgs.parse(str(vars, "ansible_ssh_common_args"), str(vars, "ansible_ssh_extra_args"),
                    str(vars, "ansible_ssh_args"));
        } catch (IllegalArgumentException e) {
            throw bad(host, "ansible_ssh_common_args/ansible_ssh_extra_args: " + e.getMessage(),
                    "write options as -o Key=Value, e.g. -o ProxyJump=deploy@bastion.example.com");
        }
        if (args.get("proxycommand") != null && !args.get("proxycommand").equalsIgnoreCase("none")) {
            throw bad(host, "ProxyCommand is not supported by budgetctl's ssh connection",
                    "use -o ProxyJump=user@bastion:port (several hops separated by commas)");
        }
        String hostname = first(str(vars, "ansible_host"), str(vars, "ansible_ssh_host"), args.get("hostname"), host);
        int port = intValue(host, "ansible_port",
                first(str(vars, "ansible_port"), str(vars, "ansible_ssh_port"), args.get("port"), "22"), 1, 65535);
        String user = first(str(vars, "ansible_user"), str(vars, "ansible_ssh_user"), args.get("user"), localUser);

        List<Path> keys = new ArrayList<>();
        String keyFile = first(str(vars, "ansible_ssh_private_key_file"), str(vars, "ansible_private_key_file"),
                args.get("identityfile"));
        if (keyFile != null) {
            keys.add(expand(keyFile, home));
        }
        Object pw = vars.get("ansible_password") != null ? vars.get("ansible_password") : vars.get("ansible_ssh_pass");
        Secret password = pw == null ? null : pw instanceof Secret s ? s : Secret.of(String.valueOf(pw));

        List<Path> known = new ArrayList<>();
        String userKnown = args.get("userknownhostsfile");
        if (userKnown != null) {
            for (String f : OpenSshArgs.words(userKnown)) {
                if (!f.equals("/dev/null")) {
                    known.add(expand(f, home));
                }
            }
        } else {
            known.add(home.resolve(".ssh").resolve("known_hosts"));
        }
        String shipped = str(vars, "budgetctl_known_hosts");
        if (shipped != null) {
            known.add(expand(shipped, home));
        }
        String global = args.get("globalknownhostsfile");
        for (String f : global == null ? List.of("/etc/ssh/ssh_known_hosts") : OpenSshArgs.words(global)) {
            known.add(Path.of(f));
        }

        HostKeyPolicy policy = HostKeyPolicy.STRICT;
        boolean explicit = false;
        String strict = args.get("stricthostkeychecking");
        Object hkc = vars.get("ansible_host_key_checking");
        try {
            if (strict != null) {
                policy = HostKeyPolicy.parse(strict);
                explicit = true;
            } else if (hkc != null) {
                policy = HostKeyPolicy.parse(String.valueOf(hkc));
                explicit = true;
            }
        } catch (IllegalArgumentException e) {
            throw bad(host, e.getMessage(), "use -o StrictHostKeyChecking=accept-new to record first-seen keys");
        }

        List<Jump> jumps;
        try {
            jumps = Jump.parseChain(first(str(vars, "budgetctl_ssh_proxy_jump"), args.get("proxyjump")));
        } catch (IllegalArgumentException e) {
            throw bad(host, e.getMessage(), "write ProxyJump as user@host:port,user2@host2 (first hop first)");
        }
        int timeoutSeconds = intValue(host, "ConnectTimeout",
                first(str(vars, "ansible_ssh_timeout"), str(vars, "ansible_timeout"), args.get("connecttimeout"),
                        String.valueOf(DEFAULT_CONNECT_TIMEOUT.toSeconds())), 1, 3600);
        int attempts = intValue(host, "ConnectionAttempts",
                first(str(vars, "budgetctl_ssh_connect_attempts"), args.get("connectionattempts"), "3"), 1, 100);
        int alive = intValue(host, "ServerAliveInterval", first(args.get("serveraliveinterval"), "15"), 0, 3600);
        Identity identity = identity(host, vars);
        return new SshSettings(host, hostname, port, user, keys, password, known, policy, explicit, jumps,
                Duration.ofSeconds(timeoutSeconds), attempts, Duration.ofSeconds(alive),
                identityAgent(host, vars, args, home), identity.key(), identity.keySource(), identity.pin(),
                identity.pinSource());
    }

    /** The in-memory key and the pinned host key of a host, with what each is for messages. */
    record Identity(Secret key, String keySource, HostKeyPin pin, String pinSource) {
    }

    /**
     * Reads {@code budgetctl_ssh_key} / {@code budgetctl_ssh_key_ref} and {@code budgetctl_ssh_host_key}; nothing
     * else, so it can run before a play (when other connection variables may still be templates). The key is not
     * revealed here.
     *
     * @throws EngineException when the pin is not a usable public key, or a key reference came without its key
     *                         (an inventory built without a secret resolver)
     */
    static Identity identity(String host, Map<String, Object> vars) {
        Object keyVar = vars.get(KEY_VAR);
        Object refVar = vars.get(KEY_REF_VAR);
        String ref = refVar == null || refVar instanceof Secret || String.valueOf(refVar).isBlank() ? null
                : String.valueOf(refVar).strip();
        Object customer = vars.get("client_id");
        String of = customer == null ? "" : " of customer " + customer;
        Secret key = keyVar == null ? null : keyVar instanceof Secret s ? s : Secret.of(String.valueOf(keyVar));
        if (key == null && ref != null) {
            throw bad(host, "ssh.key" + of + " (" + ref + ") was not resolved: this inventory was built without"
                    + " a secret resolver", "read the deployments repository with its secrets"
                    + " (RepositoryInventory.of(repo, resolver)); budgetctl's commands do");
        }
        String keySource = key == null ? null : ref != null ? "ssh.key" + of + " (" + ref + ")" : KEY_VAR + of;
        Object pinVar = vars.get(HOST_KEY_VAR);
        HostKeyPin pin = null;
        String pinSource = null;
        if (pinVar != null && !String.valueOf(pinVar).isBlank()) {
            try {
                pin = HostKeyPin.parse(String.valueOf(pinVar));
            } catch (IllegalArgumentException e) {
                throw bad(host, HOST_KEY_VAR + " (ssh.host_key" + of + ") is not a usable public host key: "
                        + e.getMessage(), "copy the server's key line, e.g. 'ssh-ed25519 AAAA...' from"
                        + " /etc/ssh/ssh_host_ed25519_key.pub or ssh-keyscan, and compare its fingerprint"
                        + " (ssh-keygen -lf) with the customer's");
            }
            pinSource = "the pinned ssh.host_key" + of;
        }
        return new Identity(key, keySource, pin, pinSource);
    }

    /**
     * Which ssh-agent to ask for keys, like OpenSSH: SSH_AUTH_SOCK unless {@code budgetctl_ssh_agent: false},
     * {@code IdentitiesOnly yes} (only the key files) or {@code IdentityAgent none}; {@code IdentityAgent /path}
     * names another socket.
     */
    private static String identityAgent(String host, Map<String, Object> vars, OpenSshArgs args, Path home) {
        Object enabled = vars.get("budgetctl_ssh_agent");
        if (enabled != null) {
            String e = enabled.toString().strip().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("true", "false", "yes", "no").contains(e)) {
                throw bad(host, "budgetctl_ssh_agent '" + enabled + "' is not true or false",
                        "set budgetctl_ssh_agent: false to leave the ssh-agent out");
            }
            if (e.equals("false") || e.equals("no")) {
                return null;
            }
        }
        String only = args.get("identitiesonly");
        if (only != null) {
            String o = only.toLowerCase(java.util.Locale.ROOT);
            if (!o.equals("yes") && !o.equals("no")) {
                throw bad(host, "IdentitiesOnly '" + only + "' is not yes or no",
                        "use -o IdentitiesOnly=yes to offer only the key files, not the ssh-agent's keys");
            }
            if (o.equals("yes")) {
                return null;
            }
        }
        String agent = args.get("identityagent");
        if (agent == null || agent.equals(AGENT_FROM_ENV) || agent.equals("$" + AGENT_FROM_ENV)
                || agent.equals("${" + AGENT_FROM_ENV + "}")) {
            return AGENT_FROM_ENV;
        }
        if (agent.equalsIgnoreCase("none")) {
            return null;
        }
        return expand(agent, home).toString();
    }

    /** Default key files that exist, as ssh tries them. */
    static List<Path> defaultIdentities(Path home) {
        List<Path> out = new ArrayList<>();
        for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path p = home.resolve(".ssh").resolve(n);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Path expand(String file, Path home) {
        if (file.equals("~")) {
            return home;
        }
        if (file.startsWith("~/")) {
            return home.resolve(file.substring(2));
        }
        return Path.of(file);
    }

    private static String str(Map<String, Object> vars, String key) {
        Object v = vars.get(key);
        if (v == null) {
            return null;
        }
        String s = v instanceof Secret sec ? sec.reveal() : String.valueOf(v);
        return s.isBlank() ? null : s.strip();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static int intValue(String host, String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(host, name + " '" + value + "' is not a number between " + min + " and " + max,
                    "set it to a whole number");
        }
    }

    private static EngineException bad(String host, String message, String hint) {
        return new EngineException(SourceLocation.of("inventory host " + host), message, hint);
    }
}
