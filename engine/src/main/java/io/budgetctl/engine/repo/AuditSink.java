package io.budgetctl.engine.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * A copy of every controller audit line sent to a syslog collector ({@code BUDGETCTL_AUDIT_SYSLOG}), so that the
 * record of who did what leaves the machine where it was written: someone who can edit the local log cannot edit the
 * collector's. Each line is one RFC 5424 message, facility authpriv, severity notice, APP-NAME {@code budgetctl},
 * MSGID {@code audit}, and the audit line's JSON (hash chain and signature included) as MSG, unchanged. Over TCP
 * with RFC 6587 octet counting ({@code tcp://HOST:PORT}, what rsyslog's imtcp and syslog-ng's network() read), or one
 * UDP datagram per line ({@code udp://HOST:PORT}: no delivery guarantee, for collectors that take nothing else).
 */
public final class AuditSink {
    /** authpriv (10) * 8 + notice (5). */
    static final int PRI = 85;
    private static final int TIMEOUT_MILLIS = 5000;

    private final String scheme;
    private final String host;
    private final int port;
    /** This machine's name and this process, the same for every line: looked up once, not per audit line. */
    private final String hostname = hostname();
    private final long pid = ProcessHandle.current().pid();

    private AuditSink(String scheme, String host, int port) {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
    }

    /** The sink named by {@code url} ({@code tcp://HOST:PORT} or {@code udp://HOST:PORT}). */
    public static AuditSink parse(String url) {
        SourceLocation where = SourceLocation.of("$BUDGETCTL_AUDIT_SYSLOG");
        String hint = "tcp://HOST:PORT (RFC 6587 octet counting, e.g. rsyslog imtcp) or udp://HOST:PORT";
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_SYSLOG '" + url + "' is not a URL", hint);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("tcp") || scheme.equals("udp")) || u.getHost() == null || u.getPort() <= 0
                || (u.getPath() != null && !u.getPath().isEmpty())) {
            throw new EngineException(where, "BUDGETCTL_AUDIT_SYSLOG '" + url + "' is not a syslog address", hint);
        }
        return new AuditSink(scheme, u.getHost(), u.getPort());
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }

    /** Sends one audit line (its JSON text, no newline); throws when the collector cannot be reached. */
    void send(String line, Instant time) throws IOException {
        byte[] msg = message(hostname, pid, time, line).getBytes(StandardCharsets.UTF_8);
        if (scheme.equals("udp")) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getByName(host), port));
            }
            return;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write((msg.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(msg);
            out.flush();
            s.shutdownOutput();
        }
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
