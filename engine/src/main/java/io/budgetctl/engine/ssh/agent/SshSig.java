package io.budgetctl.engine.ssh.agent;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OpenSSH's {@code sshsig} signatures (PROTOCOL.sshsig), the format {@code ssh-keygen -Y sign} writes and
 * {@code ssh-keygen -Y verify} checks: the SHA-512 of the message is wrapped with the magic {@code SSHSIG}, a
 * namespace and the hash name, and that blob is signed by a key the ssh-agent holds. {@link #sign} returns the
 * signature blob (base64, without the armor lines); {@link #armor} gives the file ssh-keygen reads. {@link #verify}
 * checks one in Java for ssh-ed25519 and ssh-rsa keys (the signing key travels inside the signature).
 */
public final class SshSig {
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String HASH = "sha512";
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private SshSig() {
    }

    /** A checked signature: the signing key's type and fingerprint ({@code SHA256:...}). */
    public record Signer(String keyType, String fingerprint) {
    }

    /**
     * Signs {@code message} under {@code namespace} with {@code key} through the agent (an RSA key signs with
     * rsa-sha2-512, as ssh-keygen does).
     *
     * @return the sshsig blob, base64
     */
    public static String sign(SshAgent agent, AgentIdentity key, String namespace, byte[] message)
            throws AgentException {
        int flags = key.type().equals("ssh-rsa") ? SshAgent.SSH_AGENT_RSA_SHA2_512 : 0;
        byte[] signature = agent.sign(key, toSign(namespace, sha512(message)), flags);
        Wire.Out out = new Wire.Out();
        for (byte b : MAGIC) {
            out.putByte(b);
        }
        out.putUInt32(1).putString(key.blob()).putString(namespace).putString(new byte[0]).putString(HASH)
                .putString(signature);
        return Base64.getEncoder().encodeToString(out.bytes());
    }

    /** The armored form ssh-keygen reads ({@code -----BEGIN SSH SIGNATURE-----}, base64 in lines of 70). */
    public static String armor(String base64) {
        StringBuilder b = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (int i = 0; i < base64.length(); i += 70) {
            b.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
        }
        return b.append("-----END SSH SIGNATURE-----\n").toString();
    }

    /**
     * Verifies a signature blob (base64) over {@code message} in {@code namespace}.
     *
     * @return who signed it
     * @throws AgentException when it is malformed, for another namespace, of a key type not handled here, or does not
     *                        verify
     */
    public static Signer verify(String base64, String namespace, byte[] message) throws AgentException {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new AgentException("the signature is not base64");
        }
        Wire.In in = new Wire.In(blob);
        for (byte b : MAGIC) {
            if (in.readByte() != (b & 0xff)) {
                throw new AgentException("not an sshsig signature (no SSHSIG magic)");
            }
        }
        if (in.readUInt32() != 1) {
            throw new AgentException("sshsig version is not 1");
        }
        byte[] publicKey = in.readString();
        String ns = new String(in.readString(), StandardCharsets.UTF_8);
        in.readString(); // reserved
        String hash = new String(in.readString(), StandardCharsets.US_ASCII);
        byte[] signature = in.readString();
        if (!ns.equals(namespace)) {
            throw new AgentException("signed for namespace '" + ns + "', not '" + namespace + "'");
        }
        if (!hash.equals("sha512") && !hash.equals("sha256")) {
            throw new AgentException("unknown hash algorithm " + hash);
        }
        byte[] digest = hash.equals("sha512") ? sha512(message) : digest("SHA-256", message);
        byte[] signed = toSign(namespace, digest, hash);
        AgentIdentity key = new AgentIdentity(publicKey, "");
        Wire.In k = new Wire.In(publicKey);
        String keyType = new String(k.readString(), StandardCharsets.US_ASCII);
        Wire.In s = new Wire.In(signature);
        String sigAlg = new String(s.readString(), StandardCharsets.US_ASCII);
        byte[] sigBytes = s.readString();
        try {
            PublicKey pub;
            String jca;
            switch (keyType) {
                case "ssh-ed25519" -> {
                    if (!sigAlg.equals("ssh-ed25519")) {
                        throw new AgentException("an ssh-ed25519 key with a " + sigAlg + " signature");
                    }
                    byte[] raw = k.readString();
                    byte[] x509 = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + raw.length);
                    System.arraycopy(raw, 0, x509, ED25519_X509_PREFIX.length, raw.length);
                    pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
                    jca = "Ed25519";
                }
                case "ssh-rsa" -> {
                    BigInteger e = new BigInteger(k.readString());
                    BigInteger n = new BigInteger(k.readString());
                    pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                    jca = switch (sigAlg) {
                        case "rsa-sha2-512" -> "SHA512withRSA";
                        case "rsa-sha2-256" -> "SHA256withRSA";
                        default -> throw new AgentException("RSA signature algorithm " + sigAlg + " is not accepted");
                    };
                }
                default -> throw new AgentException("a " + keyType + " signature cannot be checked here; use "
                        + "ssh-keygen -Y check-novalidate");
            }
            Signature v = Signature.getInstance(jca);
            v.initVerify(pub);
            v.update(signed);
            if (!v.verify(sigBytes)) {
                throw new AgentException("the signature by " + key.fingerprint() + " does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new AgentException("the signature by " + key.fingerprint() + " does not verify: "
                    + e.getMessage());
        }
        return new Signer(keyType, key.fingerprint());
    }

    private static byte[] toSign(String namespace, byte[] digest) {
        return toSign(namespace, digest, HASH);
    }

    private static byte[] toSign(String namespace, byte[] digest, String hash) {
        Wire.Out out = new Wire.Out();
        for (byte b : MAGIC) {
            out.putByte(b);
        }
        return out.putString(namespace).putString(new byte[0]).putString(hash).putString(digest).bytes();
    }

    private static byte[] sha512(byte[] message) {
        return digest("SHA-512", message);
    }

    private static byte[] digest(String alg, byte[] message) {
        try {
            return MessageDigest.getInstance(alg).digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is missing from this JDK", e);
        }
    }
}
