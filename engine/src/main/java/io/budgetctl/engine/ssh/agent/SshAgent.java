package io.budgetctl.engine.ssh.agent;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of an ssh-agent (OpenSSH's {@code ssh-agent}, gpg-agent, KeePassXC...) on a Unix domain socket, the
 * protocol of draft-miller-ssh-agent / OpenSSH's PROTOCOL.agent: list the keys the agent holds and ask it to sign
 * with one. Private keys never leave the agent.
 *
 * <p>Each request opens its own connection (the agent serves many), sends one message and reads one reply. Every
 * step is bounded: the whole exchange must finish within {@code timeout}, a reply may be at most
 * {@value #MAX_MESSAGE} bytes (OpenSSH's own limit) and at most {@value #MAX_IDENTITIES} keys are read. Nothing here
 * logs; errors name the socket and what went wrong, never key material.
 */
public final class SshAgent {
    /** Largest reply accepted, as OpenSSH's AGENT_MAX_LEN. */
    static final int MAX_MESSAGE = 256 * 1024;
    static final int MAX_IDENTITIES = 2048;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final int SSH_AGENT_FAILURE = 5;
    static final int SSH_AGENTC_REQUEST_IDENTITIES = 11;
    static final int SSH_AGENT_IDENTITIES_ANSWER = 12;
    static final int SSH_AGENTC_SIGN_REQUEST = 13;
    static final int SSH_AGENT_SIGN_RESPONSE = 14;
    /** Older failure codes some agents still send (ssh.com and protocol 1 era); OpenSSH's client accepts them too. */
    static final int SSH2_AGENT_FAILURE = 30;
    static final int SSH_COM_AGENT2_FAILURE = 102;
    static final int SSH_AGENT_RSA_SHA2_256 = 2;
    static final int SSH_AGENT_RSA_SHA2_512 = 4;

    private final Path socket;
    private final Duration timeout;

    public SshAgent(Path socket) {
        this(socket, DEFAULT_TIMEOUT);
    }

    public SshAgent(Path socket, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /** The keys the agent holds, in the agent's order (SSH_AGENTC_REQUEST_IDENTITIES). */
    public List<AgentIdentity> identities() throws AgentException {
        Wire.In r = new Wire.In(call(new Wire.Out().putByte(SSH_AGENTC_REQUEST_IDENTITIES).bytes()));
        int type = r.readByte();
        if (isFailure(type)) {
            throw new AgentException("the ssh-agent at " + socket + " refused to list its keys");
        }
        if (type != SSH_AGENT_IDENTITIES_ANSWER) {
            throw new AgentException("the ssh-agent at " + socket + " answered a key list request with message "
                    + type);
        }
        long n = r.readUInt32();
        if (n > MAX_IDENTITIES) {
            throw new AgentException("the ssh-agent at " + socket + " claims " + n + " keys (more than "
                    + MAX_IDENTITIES + ")");
        }
        List<AgentIdentity> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            byte[] blob = r.readString();
            String comment = r.readUtf8();
            out.add(new AgentIdentity(blob, comment));
        }
        return List.copyOf(out);
    }

    /**
     * Asks the agent to sign {@code data} with the key {@code key} (SSH_AGENTC_SIGN_REQUEST).
     *
     * @param flags 0, or for an RSA key {@link #SSH_AGENT_RSA_SHA2_256} / {@link #SSH_AGENT_RSA_SHA2_512}
     * @return the signature blob as it goes on the wire: string algorithm name, string signature
     */
    byte[] sign(AgentIdentity key, byte[] data, int flags) throws AgentException {
        byte[] request = new Wire.Out().putByte(SSH_AGENTC_SIGN_REQUEST).putString(key.blob()).putString(data)
                .putUInt32(flags).bytes();
        Wire.In r = new Wire.In(call(request));
        int type = r.readByte();
        if (isFailure(type)) {
            throw new AgentException("the ssh-agent at " + socket + " refused to sign with " + key.type() + " "
                    + key.fingerprint() + " (was the key removed, or was confirmation denied?)");
        }
        if (type != SSH_AGENT_SIGN_RESPONSE) {
            throw new AgentException("the ssh-agent at " + socket + " answered a sign request with message "
                    + type);
        }
        byte[] signature = r.readString();
        Wire.In check = new Wire.In(signature); // algorithm name and signature bytes must both be there
        check.readString();
        check.readString();
        return signature;
    }

    private static boolean isFailure(int type) {
        return type == SSH_AGENT_FAILURE || type == SSH2_AGENT_FAILURE || type == SSH_COM_AGENT2_FAILURE;
    }

    /** One request, one reply, within the timeout, on a fresh connection. */
    private byte[] call(byte[] request) throws AgentException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector sel = Selector.open()) {
            ch.configureBlocking(false);
            try {
                if (!ch.connect(UnixDomainSocketAddress.of(socket))) {
                    await(ch, sel, SelectionKey.OP_CONNECT, deadline);
                    ch.finishConnect();
                }
            } catch (IOException e) {
                throw new AgentException("cannot connect to the ssh-agent at " + socket + ": " + reason(e), e);
            }
            ByteBuffer out = ByteBuffer.allocate(4 + request.length);
            out.putInt(request.length).put(request).flip();
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    await(ch, sel, SelectionKey.OP_WRITE, deadline);
                }
            }
            ByteBuffer len = ByteBuffer.allocate(4);
            readFully(ch, sel, len, deadline);
            long n = Integer.toUnsignedLong(len.flip().getInt());
            if (n == 0 || n > MAX_MESSAGE) {
                throw new AgentException("the ssh-agent at " + socket + " sent a reply of " + n
                        + " bytes (allowed: 1 to " + MAX_MESSAGE + ")");
            }
            ByteBuffer body = ByteBuffer.allocate((int) n);
            readFully(ch, sel, body, deadline);
            return body.array();
        } catch (AgentException e) {
            throw e;
        } catch (IOException e) {
            throw new AgentException("talking to the ssh-agent at " + socket + " failed: " + reason(e), e);
        }
    }

    private void readFully(SocketChannel ch, Selector sel, ByteBuffer buf, long deadline) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                throw new AgentException("the ssh-agent at " + socket + " closed the connection before answering");
            }
            if (n == 0) {
                await(ch, sel, SelectionKey.OP_READ, deadline);
            }
        }
    }

    private void await(SocketChannel ch, Selector sel, int op, long deadline) throws IOException {
        SelectionKey key = ch.register(sel, op);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AgentException("the ssh-agent at " + socket + " did not answer within "
                            + timeout.toMillis() + " ms");
                }
                if (sel.select(Math.max(1, left / 1_000_000)) > 0) {
                    sel.selectedKeys().clear();
                    return;
                }
                if (Thread.currentThread().isInterrupted()) { // select() returns at once from now on
                    throw new AgentException("interrupted while waiting for the ssh-agent at " + socket);
                }
            }
        } finally {
            key.interestOps(0);
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public String toString() {
        return "ssh-agent at " + socket;
    }
}
