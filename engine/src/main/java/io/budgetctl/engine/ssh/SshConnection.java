package io.budgetctl.engine.ssh;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.CommandBuilder;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.connection.ShellConnection;
import io.budgetctl.engine.connection.ShellQuote;
import io.budgetctl.engine.connection.SudoHandshake;
import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.ssh.agent.AgentAuthMethod;
import io.budgetctl.engine.ssh.agent.AgentIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.concurrent.Promise;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.Request;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPEngine;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code ansible_connection: ssh} on sshj: one persistent SSH connection per host for the whole run, opened on
 * first use (through ProxyJump hops when configured), with keepalives; a session channel per command; one SFTP
 * channel per connection, opened on first use, for reading files. Writes and stats go through the POSIX scripts of
 * {@link ShellConnection} (one round trip each, with become through sudo/su). Every command and every SFTP request
 * is counted in {@link #roundTrips()} (logged per host at debug level on close). Connect failures are retried with
 * backoff; a command is never re-run. Create through {@link SshConnectionFactory}.
 */
public final class SshConnection extends ShellConnection {
    /** Output kept per stream; the rest is dropped and the result marked truncated. */
    public static final int MAX_OUTPUT = 16 * 1024 * 1024;
    private static final Logger LOG = LogManager.getLogger(SshConnection.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "budgetctl-ssh-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final SshConnectionFactory factory;
    private final SshSettings settings;
    private final boolean bastion;
    private SSHClient client;
    private SFTPClient sftp;
    private volatile boolean closed;

    SshConnection(SshConnectionFactory factory, SshSettings settings) {
        this(factory, settings, false);
    }

    SshConnection(SshConnectionFactory factory, SshSettings settings, boolean bastion) {
        this.factory = factory;
        this.settings = settings;
        this.bastion = bastion;
    }

    @Override
    public String host() {
        return settings.inventoryName();
    }

    SshSettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------------------------------------ commands

    @Override
    public ExecResult exec(ExecRequest request) {
        // becoming the user we logged in as runs no sudo, as Ansible (become_allow_same_user=false)
        CommandBuilder.Prepared prepared = CommandBuilder.prepare(request, settings.user());
        String command = ShellQuote.join(prepared.argv());
        byte[] stdin = prepared.stdin();
        SudoHandshake sudo = prepared.handshake(); // null unless sudo may ask for a password
        SSHClient c = client();
        roundTrips().exec();
        Session session;
        try {
            session = c.startSession();
        } catch (IOException e) {
            throw Failures.lost(e, settings.target(), "opening a session");
        }
        Bounded out = new Bounded(MAX_OUTPUT);
        Bounded err = new Bounded(MAX_OUTPUT);
        try {
            Session.Command cmd = session.exec(command);
            OutputStream outSink = sudo == null ? out : sudo.stdout(out);
            OutputStream errSink = sudo == null ? err : sudo.stderr(err);
            Future<?> outF = IO.submit(() -> pump(cmd.getInputStream(), outSink));
            Future<?> errF = IO.submit(() -> pump(cmd.getErrorStream(), errSink));
            Future<?> inF = IO.submit(() -> {
                if (sudo != null) {
                    sudo.feed(cmd.getOutputStream(), stdin); // the password only when sudo asks for it
                    return null;
                }
                try (OutputStream os = cmd.getOutputStream()) {
                    if (stdin != null && stdin.length > 0) {
                        os.write(stdin);
                        os.flush();
                    }
                } // closing sends EOF, so programs that read stdin finish
                return null;
            });
            Duration timeout = request.timeout();
            if (timeout != null) {
                try {
                    cmd.join(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ConnectionException e) {
                    if (!(e.getCause() instanceof TimeoutException)) {
                        throw e;
                    }
                }
                if (cmd.isOpen()) {
                    try {
                        cmd.signal(Signal.KILL);
                    } catch (IOException ignored) {
                        // older sshd ignore signals; closing the channel below ends the command's pipes
                    }
                    session.close();
                    await(outF, 2000);
                    await(errF, 2000);
                    if (sudo != null) {
                        sudo.end();
                    }
                    inF.cancel(true);
                    return new ExecResult(124, out.text(), err.text() + "command timed out after "
                            + timeout.toSeconds() + "s", out.truncated || err.truncated);
                }
            } else {
                cmd.join();
            }
            await(outF, 10_000);
            await(errF, 10_000);
            if (sudo != null) {
                sudo.end();
            }
            inF.cancel(true);
            Integer status = cmd.getExitStatus();
            if (sudo != null && sudo.refused()) {
                return new ExecResult(status == null ? 1 : status, out.text(), SudoHandshake.refusedMessage(
                        request.become().user(), host()) + "\n" + err.text(), out.truncated || err.truncated);
            }
            if (status == null) {
                Signal sig = cmd.getExitSignal();
                if (sig != null) {
                    return new ExecResult(128 + signalNumber(sig), out.text(),
                            err.text() + "killed by signal " + sig, out.truncated || err.truncated);
                }
                if (!c.isConnected()) {
                    throw Failures.lost(new IOException("connection closed"), settings.target(), "a command");
                }
                return new ExecResult(-1, out.text(), err.text() + "no exit status from the remote side",
                        out.truncated || err.truncated);
            }
            return new ExecResult(status, out.text(), err.text(), out.truncated || err.truncated);
        } catch (IOException e) {
            throw Failures.lost(e, settings.target(), "a command");
        } finally {
            try {
                session.close();
            } catch (IOException ignored) {
                // the channel is already closed or the connection is gone
            }
        }
    }

    private static Void pump(InputStream in, OutputStream sink) throws IOException {
        byte[] buf = new byte[32 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            sink.write(buf, 0, n);
        }
        return null;
    }

    private static void await(Future<?> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception ignored) {
            f.cancel(true); // output after the channel closed is not worth waiting for
        }
    }

    private static int signalNumber(Signal s) {
        return switch (s) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case SEGV -> 11;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            case USR1 -> 10;
            case USR2 -> 12;
            default -> 0;
        };
    }

    // ------------------------------------------------------------------------------------------------ files

    /** Reads over SFTP (binary-safe, no base64) when no become is asked; as another user through the shell. */
    @Override
    public Optional<byte[]> read(String path, Become become) {
        if (become != null && become.enabled()) {
            return super.read(path, become);
        }
        SFTPClient s = sftp();
        try (RemoteFile f = s.open(path, EnumSet.of(OpenMode.READ))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            // the length first (one fstat): read-ahead then asks for exactly the chunks the file has, where
            // without it sixteen reads go out even for a two-byte file
            long length = f.length();
            try (InputStream in = f.new ReadAheadRemoteFileInputStream(16, 0, length)) {
                in.transferTo(buf);
            }
            return Optional.of(buf.toByteArray());
        } catch (SFTPException e) {
            if (e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw new IllegalStateException("read " + path + " on " + host() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw Failures.lost(e, settings.target(), "reading " + path);
        }
    }

    private synchronized SFTPClient sftp() {
        if (sftp == null) {
            try {
                SSHClient c = client();
                // counts every request (open, read, close ...) the way exec counts commands
                SFTPEngine engine = new SFTPEngine(c) {
                    @Override
                    public Promise<Response, SFTPException> request(Request req) throws IOException {
                        roundTrips().sftpRequest();
                        return super.request(req);
                    }
                };
                engine.init();
                sftp = new SFTPClient(engine);
            } catch (IOException e) {
                throw Failures.lost(e, settings.target(), "opening SFTP");
            }
        }
        return sftp;
    }

    // ------------------------------------------------------------------------------------------------ connecting

    /** The connected, authenticated client; connects on first use and after an idle connection dropped. */
    synchronized SSHClient client() {
        if (closed) {
            throw new IllegalStateException("connection to " + host() + " is closed");
        }
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        if (client != null) {
            LOG.info("{}: connection dropped while idle, reconnecting", host());
            closeQuietly();
        }
        // the bastion first, outside this host's start permit (bastions take none, so starts cannot deadlock)
        SSHClient via = settings.jumps().isEmpty() ? null : factory.bastion(settings.jumps(), settings);
        boolean permit = !bastion;
        if (permit) {
            factory.starts.acquireUninterruptibly();
        }
        try {
            long backoff = 500;
            for (int attempt = 1; ; attempt++) {
                try {
                    client = connectOnce(via);
                    return client;
                } catch (UnreachableException e) {
                    if (attempt >= settings.connectAttempts() || !Failures.retryable(e)) {
                        throw e;
                    }
                    LOG.info("{}: {} (attempt {} of {}, retrying in {} ms)", host(), e.getMessage(), attempt,
                            settings.connectAttempts(), backoff);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 8000);
                }
            }
        } finally {
            if (permit) {
                factory.starts.release();
            }
        }
    }

    private SSHClient connectOnce(SSHClient via) {
        SSHClient c = new SSHClient(factory.config);
        int timeoutMs = (int) settings.connectTimeout().toMillis();
        c.setConnectTimeout(timeoutMs);
        c.setTimeout(timeoutMs); // a server that accepts TCP but never sends its banner must not hang us
        c.getTransport().setTimeoutMs(Math.max(timeoutMs, 30_000));
        HostKeyCheck check = new HostKeyCheck();
        c.addHostKeyVerifier(check);
        List<String> tried = new ArrayList<>();
        List<AuthMethod> methods = authMethods(tried); // an unusable key is reported before any network traffic
        try {
            if (via == null) {
                c.setSocketFactory(NoDelaySockets.INSTANCE);
                c.connect(settings.hostname(), settings.port());
            } else {
                DirectConnection tunnel = via.newDirectConnection(settings.hostname(), settings.port());
                c.connectVia(tunnel);
            }
            c.getConnection().getKeepAlive().setKeepAliveInterval((int) settings.keepAlive().toSeconds());
            c.auth(settings.user(), methods);
            if (c.getSocket() != null) {
                c.getSocket().setSoTimeout(0); // from now on keepalives notice a dead peer; long commands are fine
            }
            return c;
        } catch (IOException | RuntimeException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing more to clean up
            }
            if (e instanceof UnreachableException u && u.kind() != UnreachableException.Kind.OTHER) {
                throw u;
            }
            throw Failures.connect(e, settings.target(), settings.hostname(),
                    (int) settings.connectTimeout().toSeconds(), check.problem,
                    String.join(", ", tried));
        }
    }

    /**
     * What to offer. With a key from the deployments repository ({@code ssh.key}): that key, then the password
     * when one is configured ({@link #repositoryKey}). Otherwise, in order: the configured key files, the ssh-agent's keys (unless turned off; keys already
     * offered as files are left out), the default ~/.ssh/id_* files when no key file is configured (those the
     * agent holds are left out, so an encrypted default key in the agent is never prompted for), then the
     * password when one is configured. A key file whose {@code .pub} the agent holds is signed by the agent, in
     * the file's place, without reading (or asking the passphrase of) the private key, as OpenSSH does.
     * {@code tried} receives what each entry is, for the AUTH message.
     */
    private List<AuthMethod> authMethods(List<String> tried) {
        List<AuthMethod> methods = new ArrayList<>();
        if (settings.privateKey() != null) {
            return repositoryKey(methods, tried);
        }
        List<byte[]> offered = new ArrayList<>();
        SshConnectionFactory.AgentKeys agent = factory.agentKeys(settings);
        for (Path id : settings.identityFiles()) {
            AgentIdentity held = agent == null ? null : agent.holding(publicBlob(id));
            if (held != null) {
                methods.add(new AgentAuthMethod(agent.agent(), List.of(held)));
                tried.add("publickey " + id + " (signed by the ssh-agent)");
                offered.add(held.blob());
                continue;
            }
            // a configured key that is unusable is reported as such, not as "authentication failed"
            KeyProvider kp = factory.keys.load(id, settings.target());
            methods.add(new AuthPublickey(kp));
            tried.add("publickey " + id);
            byte[] blob = blob(kp);
            if (blob != null) {
                offered.add(blob);
            }
        }
        if (agent != null && agent.problem() == null) {
            List<AgentIdentity> keys = agent.keys().stream()
                    .filter(k -> offered.stream().noneMatch(b -> Arrays.equals(b, k.blob()))).toList();
            if (!keys.isEmpty()) {
                methods.add(new AgentAuthMethod(agent.agent(), keys));
            }
            tried.add(agent.describe());
            LOG.debug("{}: {} offers {}", host(), agent.where(), agent.keys());
        } else if (agent != null) {
            tried.add("no ssh-agent (" + agent.where() + " cannot be used)"); // the AUTH message says why
        }
        if (settings.identityFiles().isEmpty()) {
            for (Path id : factory.defaultIdentities()) {
                if (agent != null && agent.holding(publicBlob(id)) != null) {
                    LOG.debug("{}: default key {} is offered through the ssh-agent", host(), id);
                    continue;
                }
                try {
                    methods.add(new AuthPublickey(factory.keys.load(id, settings.target())));
                    tried.add("publickey " + id);
                } catch (UnreachableException e) {
                    LOG.debug("{}: skipping default key {}: {}", host(), id, e.getMessage());
                }
            }
        }
        addPassword(methods, tried);
        if (methods.isEmpty()) {
            String why = agent == null ? ""
                    : agent.problem() != null ? " (the ssh-agent at " + agent.where() + " cannot be used: "
                    + agent.problem() + ")"
                    : " (the ssh-agent at " + agent.where() + " holds no keys)";
            throw new UnreachableException(UnreachableException.Kind.AUTH, "no way to authenticate to "
                    + settings.target() + why + ": set ansible_ssh_private_key_file, create ~/.ssh/id_ed25519,"
                    + " add a key to the ssh-agent (ssh-add), or set ansible_password");
        }
        return methods;
    }

    /**
     * The deployments repository's key ({@code ssh.key}, held in memory) and nothing else but a configured password:
     * no key files, default keys or ssh-agent, so a wrong repository key fails instead of another key hiding it.
     * A key that cannot be used (not a key, encrypted, a secret that cannot be read) is an AUTH failure naming it.
     */
    private List<AuthMethod> repositoryKey(List<AuthMethod> methods, List<String> tried) {
        KeyProvider kp;
        try {
            kp = factory.keys.load(settings.privateKey(), settings.privateKeySource(), settings.target());
        } catch (EngineException e) {
            throw new UnreachableException(UnreachableException.Kind.AUTH, "cannot read the private key "
                    + settings.privateKeySource() + ": " + e.oneLine(), e);
        }
        methods.add(new AuthPublickey(kp));
        tried.add("publickey from " + settings.privateKeySource());
        addPassword(methods, tried);
        return methods;
    }

    private void addPassword(List<AuthMethod> methods, List<String> tried) {
        if (settings.password() != null) {
            char[] pw = settings.password().reveal().toCharArray();
            methods.add(new AuthPassword(new PasswordFinder() {
                @Override
                public char[] reqPassword(Resource<?> resource) {
                    return pw.clone();
                }

                @Override
                public boolean shouldRetry(Resource<?> resource) {
                    return false;
                }
            }));
            tried.add("password");
        }
    }

    /** The SSH wire form of a loaded key's public half, to recognise the same key in the agent. */
    private static byte[] blob(KeyProvider kp) {
        try {
            return new Buffer.PlainBuffer().putPublicKey(kp.getPublic()).getCompactData();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The key blob of {@code key}.pub (OpenSSH's "type base64 comment"), or null when there is none. */
    private static byte[] publicBlob(Path key) {
        Path pub = key.resolveSibling(key.getFileName() + ".pub");
        try {
            String[] f = Files.readString(pub, StandardCharsets.UTF_8).strip().split("\\s+");
            return f.length >= 2 ? Base64.getDecoder().decode(f[1]) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException(UnreachableException.Kind.OTHER, "interrupted while reconnecting");
        }
    }

    /**
     * The host-key mismatch message (docs/ssh.md), for a known_hosts entry and for a pinned key alike: the host,
     * the fingerprint it offered, where the other key is, its type, and how to recover.
     */
    static String changed(String name, String offered, String where, String type, String recovery) {
        return "host key of " + name + " has CHANGED: the host offered " + offered + " but " + where
                + " has a different " + type + " key; " + recovery + ", otherwise suspect a man-in-the-middle";
    }

    /**
     * Applies the pinned host key when the host has one (known_hosts and StrictHostKeyChecking do not apply then),
     * else the host-key policy for this connection attempt and remembers why it refused a key. */
    private final class HostKeyCheck implements HostKeyVerifier {
        volatile String problem;

        @Override
        public boolean verify(String hostname, int port, PublicKey key) {
            HostKeyPin pin = settings.pinnedHostKey();
            if (pin != null) {
                if (pin.matches(key)) {
                    return true;
                }
                problem = changed(KnownHosts.entryHost(hostname, port), KnownHosts.fingerprint(key),
                        settings.pinSource() + " (" + pin.fingerprint() + ")", pin.type(),
                        "if the host was reinstalled, put its new key in ssh.host_key of the client file after"
                                + " checking its fingerprint with the customer");
                return false;
            }
            KnownHosts.Lookup l = factory.knownHosts.lookup(settings.knownHostsFiles(), hostname, port, key);
            String name = KnownHosts.entryHost(hostname, port);
            String offered = KnownHosts.fingerprint(key);
            switch (l.verdict()) {
                case MATCH:
                    return true;
                case MISMATCH:
                    if (settings.hostKeyPolicy() == HostKeyPolicy.OFF) {
                        LOG.warn("{}: host key of {} CHANGED ({}), accepted because StrictHostKeyChecking=no",
                                host(), name, offered);
                        return true;
                    }
                    problem = changed(name, offered, String.valueOf(l.file()),
                            net.schmizz.sshj.common.KeyType.fromKey(key).toString(),
                            "if the host was reinstalled, remove the old key with ssh-keygen -R '" + name + "' -f "
                                    + l.file());
                    return false;
                default:
                    if (settings.hostKeyPolicy() == HostKeyPolicy.OFF) {
                        LOG.warn("{}: unknown host key {} for {} accepted because StrictHostKeyChecking=no",
                                host(), offered, name);
                        return true;
                    }
                    if (settings.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW) {
                        Path file = settings.knownHostsFiles().get(0);
                        factory.knownHosts.add(file, hostname, port, key);
                        LOG.info("{}: recorded new host key {} for {} in {}", host(), offered, name, file);
                        return true;
                    }
                    problem = "host key of " + name + " is unknown (" + offered + ") and StrictHostKeyChecking"
                            + " is on: add it to " + settings.knownHostsFiles().get(0) + " (ssh-keyscan, after"
                            + " checking the fingerprint), ship it in budgetctl_known_hosts, or set -o"
                            + " StrictHostKeyChecking=accept-new";
                    return false;
            }
        }

        @Override
        public List<String> findExistingAlgorithms(String hostname, int port) {
            if (settings.pinnedHostKey() != null) {
                return settings.pinnedHostKey().algorithms();
            }
            return factory.knownHosts.knownAlgorithms(settings.knownHostsFiles(), hostname, port);
        }
    }

    // ------------------------------------------------------------------------------------------------ closing

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (client != null && LOG.isDebugEnabled()) {
                LOG.debug("{}: {} round trips ({})", host(), roundTrips().snapshot().total(),
                        roundTrips().snapshot());
            }
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (sftp != null) {
                sftp.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        sftp = null;
        try {
            if (client != null) {
                client.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        client = null;
    }

    /** An output sink that keeps at most {@code limit} bytes. */
    static final class Bounded extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int limit;
        volatile boolean truncated;

        Bounded(int limit) {
            this.limit = limit;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = limit - buf.size();
            if (len > room) {
                truncated = true;
                len = Math.max(room, 0);
            }
            buf.write(b, off, len);
        }

        synchronized String text() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
