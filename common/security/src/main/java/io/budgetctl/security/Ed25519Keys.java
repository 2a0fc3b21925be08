package io.budgetctl.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The licence signing keys' public side, as the portal writes them and budgetctl trusts them: a {@code .pub} file is
 * base64 of the key's X.509 encoding on one line; the key id is the first 16 hex digits of the SHA-256 of that
 * encoding, so anyone holding the public key can compute it. The portal signs, budgetctl's {@code modules sync}
 * verifies: both sides read keys and compute ids here, so they cannot drift apart.
 * <p>The app (app/itbm) keeps its own few lines for the same format on purpose: it is the product, built into images
 * whose {@code lib/} layer is shared across releases, and the portal's tests check a licence it signs against the
 * app's own code.
 */
public final class Ed25519Keys {
    private Ed25519Keys() {
    }

    /**
     * Reads base64 of an X.509-encoded Ed25519 public key; white space around it is ignored.
     *
     * @throws IllegalArgumentException when the text is not base64 or not an Ed25519 public key
     */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The key id: the first 16 hex digits of the SHA-256 of the key's X.509 encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code signature} is the key's Ed25519 signature over {@code payload}; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] payload, byte[] signature) {
        try {
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(payload);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
