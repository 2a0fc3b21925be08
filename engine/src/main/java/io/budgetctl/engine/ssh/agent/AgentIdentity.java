package io.budgetctl.engine.ssh.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * One key the ssh-agent holds: its public key blob (SSH wire format, as in a {@code .pub} file's second field) and
 * the comment it was added with. Only public material: the private key never leaves the agent.
 */
public final class AgentIdentity {
    private final byte[] blob;
    private final String comment;
    private final String type;

    AgentIdentity(byte[] blob, String comment) throws AgentException {
        this.blob = blob.clone();
        this.comment = comment;
        this.type = new String(new Wire.In(blob).readString(), StandardCharsets.US_ASCII);
    }

    /** The public key blob, e.g. to compare with the base64 field of an {@code id_ed25519.pub} file. */
    public byte[] blob() {
        return blob.clone();
    }

    /** The comment the key was added with (often the key file's path or {@code user@host}). */
    public String comment() {
        return comment;
    }

    /** The key type named in the blob: {@code ssh-ed25519}, {@code ssh-rsa}, {@code ecdsa-sha2-nistp256}... */
    public String type() {
        return type;
    }

    /** {@code SHA256:...} as {@code ssh-add -l} and {@code ssh-keygen -l} show it. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    boolean sameKey(byte[] otherBlob) {
        return Arrays.equals(blob, otherBlob);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentIdentity a && Arrays.equals(blob, a.blob) && comment.equals(a.comment);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    /** Type, fingerprint and comment (what {@code ssh-add -l} prints), never the key itself. */
    @Override
    public String toString() {
        return type + " " + fingerprint() + (comment.isEmpty() ? "" : " " + comment);
    }
}
