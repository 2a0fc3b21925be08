package io.budgetctl.engine.ssh;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.connection.Connection;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.ssh.agent.AgentException;
import io.budgetctl.engine.ssh.agent.AgentIdentity;
import io.budgetctl.engine.ssh.agent.SshAgent;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Opens {@link SshConnection}s for one run. Shared by all hosts of the run: the sshj configuration, parsed keys,
 * known_hosts files, bastion connections (100 hosts behind one bastion use one ssh connection to it, with a
 * forwarded channel each) and a cap on how many connections are being started at once ({@code
 * maxConcurrentStarts}, default 30, like Kamal's), so a large fleet does not storm a bastion or the network.
 * Connections open lazily on first use. Close the factory at the end of the run to close the bastions.
 */
public final class SshConnectionFactory implements AutoCloseable {
    /**
     * Handshakes in flight at once by default: 30, Kamal's default. Each target runs its own sshd and targets behind
     * a bastion are reached through channels of one shared bastion connection, so the cap bounds our own burst (and
     * the network's), not any one sshd's; a 50-host run starts in two waves instead of five. The system property
     * {@value #MAX_STARTS_PROPERTY} overrides it (e.g. {@code BUDGETCTL_JAVA_OPTS=-Dbudgetctl.ssh.maxConcurrentStarts=10}).
     */
    public static final int DEFAULT_MAX_CONCURRENT_STARTS = 30;
    public static final String MAX_STARTS_PROPERTY = "budgetctl.ssh.maxConcurrentStarts";
    private static final Logger LOG = LogManager.getLogger(SshConnectionFactory.class);

    final DefaultConfig config;
    final KeyLoader keys;
    final KnownHosts knownHosts = new KnownHosts();
    final Semaphore starts;
    private final Path home;
    private final String localUser;
    private final Map<String, String> env;
    private final Map<String, SshConnection> bastions = new ConcurrentHashMap<>();
    private final Map<String, SshAgent> agents = new ConcurrentHashMap<>();
    private final Set<String> agentWarnings = ConcurrentHashMap.newKeySet();

    public SshConnectionFactory() {
        this(Integer.getInteger(MAX_STARTS_PROPERTY, DEFAULT_MAX_CONCURRENT_STARTS));
    }

    public SshConnectionFactory(int maxConcurrentStarts) {
        this(maxConcurrentStarts, Path.of(System.getProperty("user.home")), System.getProperty("user.name"),
                System.getenv());
    }

    /**
     * With the controller user's {@code home} (~/.ssh: keys, known_hosts, config), {@code localUser} and environment
     * (SSH_AUTH_SOCK) given instead of the process's: for embedders and tests that run as someone else.
     */
    public SshConnectionFactory(int maxConcurrentStarts, Path home, String localUser, Map<String, String> env) {
        if (maxConcurrentStarts < 1) {
            throw new IllegalArgumentException("maxConcurrentStarts must be >= 1");
        }
        this.config = new DefaultConfig();
        this.config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        this.keys = new KeyLoader(config, env);
        this.starts = new Semaphore(maxConcurrentStarts, true);
        this.home = home;
        this.localUser = localUser;
        this.env = Map.copyOf(env);
    }

    /**
     * A connection to {@code host} configured by its inventory variables (ansible_host, ansible_port, ansible_user,
     * ansible_ssh_private_key_file, ansible_password / ansible_ssh_pass, ansible_ssh_common_args /
     * ansible_ssh_extra_args, budgetctl_known_hosts). Nothing is contacted until the first command.
     *
     * @throws io.budgetctl.engine.api.EngineException when a variable is malformed
     */
    public Connection open(String host, Map<String, Object> hostVars) {
        SshSettings s = SshSettings.resolve(host, hostVars, home, localUser);
        if (s.hostKeyPolicy() == HostKeyPolicy.OFF) {
            LOG.warn("{}: host key checking is off (StrictHostKeyChecking=no): the host's identity is not"
                    + " verified", host);
        }
        return new SshConnection(this, s);
    }

    /**
     * Checks, before any host is contacted, what the connection to {@code host} needs from the controller alone:
     * the pinned host key ({@code budgetctl_ssh_host_key}) is a public key, and the private key held in memory
     * ({@code budgetctl_ssh_key}, the repository's {@code ssh.key}) can be read from its secret and parsed. The key
     * stays in memory (parsed once per run; the connection reuses it). Other connection variables are not looked at
     * (they may still be templates).
     *
     * @throws EngineException one line naming the host, the setting and the reference (the client file's line when
     *                         the secret cannot be resolved), with a hint
     */
    public void check(String host, Map<String, Object> hostVars) {
        Map<String, Object> vars = new java.util.HashMap<>(hostVars);
        // a value that is still a template is checked when the connection opens, with the task's variables
        vars.values().removeIf(v -> v instanceof String s && (s.contains("{{") || s.contains("{%")));
        SshSettings.Identity id = SshSettings.identity(host, vars);
        if (id.key() == null) {
            return;
        }
        try {
            id.key().reveal();
        } catch (EngineException e) {
            throw new EngineException(e.location(), "cannot read the SSH key " + id.keySource() + " for " + host
                    + ": " + e.getMessage(), e.hint() != null ? e.hint() : "budgetctl needs this key before it"
                    + " contacts the host: give this process a key that decrypts the secret (SOPS: an age key of"
                    + " the file's recipients in SOPS_AGE_KEY_FILE) or fix the reference (docs/ssh.md)", e);
        }
        try {
            keys.load(id.key(), id.keySource(), host);
        } catch (KeyLoader.Unusable e) {
            throw new EngineException(SourceLocation.of("inventory host " + host), e.reason(), e.hint());
        }
    }

    /** The default ~/.ssh keys that exist (offered when no key file is configured). */
    List<Path> defaultIdentities() {
        return SshSettings.defaultIdentities(home);
    }

    /**
     * What the ssh-agent offers for {@code s}: null when no agent is to be used (turned off, or SSH_AUTH_SOCK is
     * not set); otherwise its keys, asked afresh for every connection attempt (keys may be added during a run), or
     * the reason it cannot be used. An unusable agent is logged as one warning per socket and run.
     */
    AgentKeys agentKeys(SshSettings s) {
        if (!s.useAgent()) {
            return null;
        }
        boolean fromEnv = SshSettings.AGENT_FROM_ENV.equals(s.identityAgent());
        String source = fromEnv ? "SSH_AUTH_SOCK" : "IdentityAgent";
        String path = fromEnv ? env("SSH_AUTH_SOCK") : s.identityAgent();
        if (path == null || path.isBlank()) {
            return null;
        }
        SshAgent agent;
        try {
            agent = agents.computeIfAbsent(path, p -> new SshAgent(Path.of(p)));
        } catch (InvalidPathException e) {
            return unusable(source, path, null, "'" + path + "' is not a usable path");
        }
        try {
            return new AgentKeys(agent, agent.identities(), source + "=" + path, null);
        } catch (AgentException e) {
            return unusable(source, path, agent, e.getMessage());
        }
    }

    private AgentKeys unusable(String source, String path, SshAgent agent, String problem) {
        if (agentWarnings.add(path)) {
            LOG.warn("{} is set but the ssh-agent cannot be used: {}; continuing with the other authentication"
                    + " methods", source, problem);
        }
        return new AgentKeys(agent, List.of(), source + "=" + path, problem);
    }

    /**
     * The ssh-agent's keys for one connection attempt.
     *
     * @param where   {@code SSH_AUTH_SOCK=/path} (or {@code IdentityAgent=/path}), for messages
     * @param problem why the agent cannot be used, or null when it answered
     */
    record AgentKeys(SshAgent agent, List<AgentIdentity> keys, String where, String problem) {
        AgentKeys {
            keys = List.copyOf(keys);
        }

        /** The agent's key with this public key blob, or null (also for a null blob). */
        AgentIdentity holding(byte[] blob) {
            if (blob == null) {
                return null;
            }
            return keys.stream().filter(k -> java.util.Arrays.equals(k.blob(), blob)).findFirst().orElse(null);
        }

        /** {@code ssh-agent (2 keys)} as the AUTH failure message lists it. */
        String describe() {
            return "ssh-agent (" + keys.size() + (keys.size() == 1 ? " key)" : " keys)");
        }
    }

    String env(String name) {
        return env.get(name);
    }

    /**
     * The connected client of the last hop in {@code hops}, shared by every target behind the same chain.
     * Connects (through the earlier hops) on first use and again if it was lost.
     */
    SSHClient bastion(List<Jump> hops, SshSettings target) {
        SshSettings hop = lastHop(hops, target);
        // customers with their own repository key (ssh.key) do not share a bastion login with another key
        String key = hop.privateKey() == null ? "" : " key#" + System.identityHashCode(hop.privateKey());
        SshConnection conn = bastions.computeIfAbsent(hop.jumps() + " " + hop.target() + key,
                k -> new SshConnection(this, hop, true));
        try {
            return conn.client();
        } catch (UnreachableException e) {
            throw new UnreachableException(e.kind(), "via bastion " + conn.settings().target() + ": "
                    + e.getMessage(), e.getCause());
        }
    }

    /**
     * The settings to reach the last of {@code hops}: its own user (the target's when the hop names none), host
     * and port, the target's keys, agent, known_hosts and timeouts, no password, and the earlier hops (each with
     * its own user and port) as its jumps.
     */
    static SshSettings lastHop(List<Jump> hops, SshSettings target) {
        List<Jump> resolved = new ArrayList<>();
        for (Jump j : hops) {
            resolved.add(new Jump(j.user() == null ? target.user() : j.user(), j.host(), j.port()));
        }
        SshSettings hop = target.forHop(resolved.get(resolved.size() - 1));
        return new SshSettings(hop.inventoryName(), hop.hostname(), hop.port(), hop.user(), hop.identityFiles(),
                null, hop.knownHostsFiles(), hop.hostKeyPolicy(), hop.policyExplicit(),
                resolved.subList(0, resolved.size() - 1), hop.connectTimeout(), hop.connectAttempts(),
                hop.keepAlive(), hop.identityAgent(), hop.privateKey(), hop.privateKeySource(), null, null);
    }

    @Override
    public void close() {
        for (SshConnection b : bastions.values()) {
            b.close();
        }
        bastions.clear();
    }
}
