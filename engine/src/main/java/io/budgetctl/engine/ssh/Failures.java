package io.budgetctl.engine.ssh;

import io.budgetctl.engine.connection.UnreachableException;
import io.budgetctl.engine.connection.UnreachableException.Kind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Turns what sshj and the JDK throw into one {@link UnreachableException} per failure kind, each with a distinct
 * one-line message that names the host and says what to check. docs/ssh.md lists every message.
 */
final class Failures {
    private Failures() {
    }

    /**
     * A failure while connecting or authenticating to {@code where} ({@code user@host:port}, or a bastion).
     *
     * @param hostKeyProblem the message of a host-key check that refused the key, or null
     * @param authTried      what authentication offered, for the AUTH message ("publickey ~/.ssh/id_ed25519")
     */
    static UnreachableException connect(Throwable e, String where, String host, int connectTimeoutSeconds,
                                        String hostKeyProblem, String authTried) {
        if (e instanceof UnreachableException u) {
            return u;
        }
        if (hostKeyProblem != null) {
            return new UnreachableException(Kind.HOST_KEY, hostKeyProblem, e);
        }
        if (tooManyAuthFailures(e)) {
            return new UnreachableException(Kind.AUTH, "authentication failed for " + where + " (tried "
                    + authTried + "): the host closed the connection after too many refused keys (sshd's"
                    + " MaxAuthTries); offer fewer keys: -o IdentitiesOnly=yes with the right"
                    + " ansible_ssh_private_key_file, or fewer keys in the ssh-agent", e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new UnreachableException(Kind.DNS, "cannot resolve host name '" + host
                        + "' (DNS lookup failed): check ansible_host or the name's DNS record", e);
            }
            if (t instanceof ConnectException) {
                return new UnreachableException(Kind.REFUSED, "connection refused by " + where
                        + ": no sshd listens there; check ansible_port and that sshd runs", e);
            }
            if (t instanceof NoRouteToHostException) {
                return new UnreachableException(Kind.TIMEOUT, "no route to " + where
                        + ": the host is down or a firewall drops the traffic", e);
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return new UnreachableException(Kind.TIMEOUT, "no answer from " + where + " within "
                        + connectTimeoutSeconds + "s (ConnectTimeout): host down, firewalled or wrong address", e);
            }
            if (t instanceof UserAuthException) {
                return new UnreachableException(Kind.AUTH, "authentication failed for " + where + " (tried "
                        + authTried + "): check ansible_user and that the key is in the user's authorized_keys", e);
            }
            if (t instanceof OpenFailException o) {
                return tunnel(o, where, host, e);
            }
            if (t instanceof SSHException s && s.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE) {
                return new UnreachableException(Kind.HOST_KEY, "host key of " + where + " was not accepted", e);
            }
        }
        return new UnreachableException(Kind.OTHER, "cannot open an ssh connection to " + where + ": "
                + describe(e), e);
    }

    /** sshd's "Too many authentication failures" disconnect (MaxAuthTries reached), anywhere in the chain. */
    private static boolean tooManyAuthFailures(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSHException && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("too many authentication failures")) {
                return true;
            }
        }
        return false;
    }

    /** A bastion could not open the forwarded connection to the next hop. */
    private static UnreachableException tunnel(OpenFailException o, String where, String host, Throwable e) {
        String m = String.valueOf(o.getMessage()).toLowerCase(Locale.ROOT);
        String base = "the bastion could not connect on to " + where + " (" + o.getReason() + ": "
                + o.getMessage() + ")";
        if (m.contains("refused")) {
            return new UnreachableException(Kind.REFUSED, base + ": no sshd listens there", e);
        }
        if (m.contains("name") || m.contains("resolve") || m.contains("not known")
                || m.contains("getaddrinfo")) {
            return new UnreachableException(Kind.DNS, base + ": the bastion cannot resolve '" + host + "'", e);
        }
        if (m.contains("timed out") || m.contains("timeout")) {
            return new UnreachableException(Kind.TIMEOUT, base + ": no answer", e);
        }
        if (o.getReason() == OpenFailException.Reason.ADMINISTRATIVELY_PROHIBITED) {
            return new UnreachableException(Kind.OTHER, base + ": the bastion forbids forwarding"
                    + " (AllowTcpForwarding)", e);
        }
        return new UnreachableException(Kind.OTHER, base, e);
    }

    /** The connection broke while a command or file transfer was (or may have been) running. */
    static UnreachableException lost(Throwable e, String where, String during) {
        return new UnreachableException(Kind.LOST, "connection to " + where + " lost during " + during + ": "
                + describe(e) + " (the command may or may not have completed; it is not re-run)", e);
    }

    /** True when the failure says the connection itself is gone, not that one request failed. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof EOFException
                    || t instanceof net.schmizz.sshj.transport.TransportException
                    || t instanceof net.schmizz.sshj.connection.ConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a fresh connection attempt could help (never for auth or host-key problems). */
    static boolean retryable(UnreachableException u) {
        return u.kind() == Kind.REFUSED || u.kind() == Kind.TIMEOUT || u.kind() == Kind.OTHER;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        String name = root.getClass().getSimpleName();
        return m == null || m.isBlank() ? name : m.strip().replace('\n', ' ');
    }
}
