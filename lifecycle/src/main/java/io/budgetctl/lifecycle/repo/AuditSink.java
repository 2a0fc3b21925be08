package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.secrets.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A copy of every controller audit line sent to a syslog collector ({@code BUDGETCTL_AUDIT_SYSLOG}), so that the
 * record of who did what leaves the machine where it was written: someone who can edit the local log cannot edit the
 * collector's. Each line is one RFC 5424 message, facility authpriv, severity notice, APP-NAME {@code budgetctl},
 * MSGID {@code audit}, and the audit line's JSON (hash chain and signature included) as MSG, unchanged. Over TCP
 * with RFC 6587 octet counting ({@code tcp://HOST:PORT}, what rsyslog's imtcp and syslog-ng's network() read), or one
 * UDP datagram per line ({@code udp://HOST:PORT}: no delivery guarantee, for collectors that take nothing else), or
 * over TLS ({@code tls://HOST:PORT}, RFC 5425, what rsyslog's imtcp with the gtls driver reads): the collector's
 * certificate is checked against {@code BUDGETCTL_AUDIT_SYSLOG_CA} (PEM, else the JVM's trusted CAs) and its name
 * against HOST; {@code BUDGETCTL_AUDIT_SYSLOG_CERT} and {@code BUDGETCTL_AUDIT_SYSLOG_KEY} (PEM, PKCS#8) are the
 * controller's certificate for collectors that require one. Over TLS each line is acknowledged by the collector
 * closing the connection after ours, so a collector that refuses the controller's certificate is seen as a failure.
 */
public final class AuditSink implements AuditCopy {
    /** authpriv (10) * 8 + notice (5). */
    static final int PRI = 85;
    private static final int TIMEOUT_MILLIS = 5000;

    private final String scheme;
    private final String host;
    private final int port;
    /** For tls://, built once from the CA, certificate and key files; null otherwise. */
    private final SSLSocketFactory tls;
    /** This machine's name and this process, the same for every line: looked up once, not per audit line. */
    private final String hostname = hostname();
    private final long pid = ProcessHandle.current().pid();

    private AuditSink(String scheme, String host, int port, SSLSocketFactory tls) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** The sink named by {@code url} ({@code tcp://}, {@code udp://} or {@code tls://HOST:PORT}), no TLS files. */
    public static AuditSink parse(String url) {
        return parse(url, Map.of());
    }

    /**
     * The sink named by {@code url}; for {@code tls://} the CA, certificate and key files named in {@code env}
     * ({@code BUDGETCTL_AUDIT_SYSLOG_CA}, {@code _CERT}, {@code _KEY}) are read now, so a missing or unreadable one
     * stops the command before it does anything.
     */
    public static AuditSink parse(String url, Map<String, String> env) {
        SourceLocation where = SourceLocation.of("$BUDGETCTL_AUDIT_SYSLOG");
        String hint = "tcp://HOST:PORT (RFC 6587 octet counting, e.g. rsyslog imtcp), tls://HOST:PORT (RFC 5425, e.g."
                + " rsyslog imtcp with the gtls driver) or udp://HOST:PORT";
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_SYSLOG '" + url + "' is not a URL", hint);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("tcp") || scheme.equals("udp") || scheme.equals("tls")) || u.getHost() == null
                || u.getPort() <= 0 || (u.getPath() != null && !u.getPath().isEmpty())) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_SYSLOG '" + url + "' is not a syslog address", hint);
        }
        String[] names = {"BUDGETCTL_AUDIT_SYSLOG_CA", "BUDGETCTL_AUDIT_SYSLOG_CERT", "BUDGETCTL_AUDIT_SYSLOG_KEY"};
        Path[] files = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            String v = env.get(names[i]);
            files[i] = v == null || v.isBlank() ? null : Path.of(v);
            if (files[i] != null && !scheme.equals("tls")) {
                throw new EngineException(SourceLocation.of("$" + names[i]), names[i] + " is set but "
                        + "BUDGETCTL_AUDIT_SYSLOG is " + scheme + "://, which sends in the clear",
                        "use tls://HOST:PORT for a collector that speaks TLS, or unset " + names[i]);
            }
        }
        if ((files[1] == null) != (files[2] == null)) {
            throw new EngineException(SourceLocation.of("$" + names[files[1] == null ? 1 : 2]), "the controller's"
                    + " certificate for the syslog collector needs both BUDGETCTL_AUDIT_SYSLOG_CERT and"
                    + " BUDGETCTL_AUDIT_SYSLOG_KEY", "set both (PEM files), or neither when the collector does not"
                    + " ask for a client certificate");
        }
        SSLSocketFactory tls = scheme.equals("tls") ? tlsFactory(files[0], files[1], files[2]) : null;
        return new AuditSink(scheme, u.getHost(), u.getPort(), tls);
    }

    private static SSLSocketFactory tlsFactory(Path ca, Path cert, Path key) {
        String caHint = "a PEM file with the certificate(s) of the CA that signed the collector's certificate";
        String certHint = "PEM files: the controller's certificate (chain, leaf first) and its unencrypted PKCS#8 key";
        TrustManager[] trust = ca == null ? null : tlsFile("CA", ca, caHint, () -> PemFiles.trusting(certificates(ca)));
        KeyManager[] keys = null;
        if (cert != null) {
            List<X509Certificate> chain = tlsFile("CERT", cert, certHint, () -> certificates(cert));
            PrivateKey pk = tlsFile("KEY", key, certHint, () -> PemFiles.privateKey(key));
            keys = tlsFile("KEY", key, certHint, () -> {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                char[] none = new char[0];
                ks.setKeyEntry("controller", pk, none, chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
                return kmf.getKeyManagers();
            });
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new EngineException(SourceLocation.of("$BUDGETCTL_AUDIT_SYSLOG"), "cannot set up TLS for the syslog"
                    + " collector (" + e.getMessage() + ")", certHint);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = PemFiles.certificates(file);
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in " + file);
        }
        return certs;
    }

    private interface TlsStep<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    /** One step with the file of {@code BUDGETCTL_AUDIT_SYSLOG_<var>}; a failure names the variable and the file. */
    private static <T> T tlsFile(String var, Path file, String hint, TlsStep<T> step) {
        try {
            return step.run();
        } catch (IOException | GeneralSecurityException e) {
            throw new EngineException(SourceLocation.of("$BUDGETCTL_AUDIT_SYSLOG_" + var), "cannot use " + file
                    + " for TLS to the syslog collector (" + e.getMessage() + ")", hint);
        }
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }

    @Override
    public String describe() {
        return "the syslog collector at " + this;
    }

    @Override
    public String setting() {
        return "BUDGETCTL_AUDIT_SYSLOG";
    }

    /** Sends one audit line (its JSON text, no newline); throws when the collector cannot be reached. */
    @Override
    public void send(String line, Instant time) throws IOException {
        byte[] msg = message(hostname, pid, time, line).getBytes(StandardCharsets.UTF_8);
        if (scheme.equals("udp")) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getByName(host), port));
            }
            return;
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            if (tls == null) {
                frame(plain.getOutputStream(), msg);
                plain.shutdownOutput();
                return;
            }
            try (SSLSocket s = (SSLSocket) tls.createSocket(plain, host, port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                frame(s.getOutputStream(), msg);
                // close_notify, then wait for the collector's: a collector that refused our certificate (TLS 1.3
                // tells the client only after its first write) answers with an alert instead, which throws here
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] drain = new byte[256];
                while (in.read(drain) >= 0) {
                    // the collector sends nothing but its own close_notify
                }
            }
        }
    }

    private static void frame(OutputStream out, byte[] msg) throws IOException {
        out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(msg);
        out.flush();
    }

    /** The RFC 5424 message: {@code <85>1 TIMESTAMP HOSTNAME budgetctl PID audit - JSON}. */
    static String message(String hostname, long pid, Instant time, String json) {
        return "<" + PRI + ">1 " + time + " " + hostname + " budgetctl " + pid + " audit - " + json;
    }

    /** This machine's name as RFC 5424 allows it (printable ASCII, at most 255), or "-". */
    static String hostname() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "-";
        }
        h = h.replaceAll("[^\\x21-\\x7e]", "");
        return h.isEmpty() ? "-" : h.length() > 255 ? h.substring(0, 255) : h;
    }
}
