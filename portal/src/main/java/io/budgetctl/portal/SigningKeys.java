package io.budgetctl.portal;

import io.budgetctl.security.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The portal's Ed25519 signing key, in the files the app's {@code itbm licence keygen} writes: base64 of the PKCS#8
 * private key (0600) and base64 of the X.509 public key. The key id is the first 16 hex digits of the SHA-256 of the
 * public key's encoding, so anyone holding the public key can compute it and no registry of ids is needed. The public
 * side (reading a .pub, the key id, checking a signature) is budgetctl-security's {@link Ed25519Keys}, which
 * budgetctl's {@code modules sync} uses too.
 */
final class SigningKeys {
    private SigningKeys() {
    }

    /** The loaded pair and its id. */
    record Loaded(String keyId, PrivateKey privateKey, PublicKey publicKey, String publicBase64) {
        byte[] sign(byte[] payload) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(privateKey);
                s.update(payload);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            }
        }
    }

    /**
     * Loads {@code privateFile} and {@code publicFile} and proves they belong together by signing and verifying.
     *
     * @throws PortalConfig.ConfigException naming the file and what is wrong with it
     */
    static Loaded load(Path privateFile, Path publicFile) {
        PrivateKey priv;
        PublicKey pub;
        String pubText;
        try {
            priv = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(read(privateFile))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PortalConfig.ConfigException(privateFile + ": not a base64 PKCS#8 Ed25519 private key",
                    "create a pair with: java -jar portal.jar keygen DIR");
        }
        try {
            pubText = read(publicFile);
            pub = Ed25519Keys.publicKey(pubText);
        } catch (IllegalArgumentException e) {
            throw new PortalConfig.ConfigException(publicFile + ": not a base64 X.509 Ed25519 public key",
                    "the .pub file written next to the private key by 'keygen'");
        }
        Loaded k = new Loaded(Ed25519Keys.keyId(pub), priv, pub, pubText);
        byte[] probe = "budgetctl-portal key check".getBytes(StandardCharsets.UTF_8);
        if (!Ed25519Keys.verify(pub, probe, k.sign(probe))) {
            throw new PortalConfig.ConfigException(publicFile + " is not the public half of " + privateFile,
                    "pass the .pub file written together with the private key");
        }
        return k;
    }

    /** Writes a new pair as {@code DIR/licence-signing.key} (0600) and {@code .pub}; refuses to overwrite. */
    static Path generate(Path dir) throws IOException {
        KeyPair kp;
        try {
            kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(dir);
        Path priv = dir.resolve("licence-signing.key");
        Path pub = dir.resolve("licence-signing.pub");
        if (Files.exists(priv) || Files.exists(pub)) {
            throw new PortalConfig.ConfigException(dir + " already holds a signing key",
                    "rotation: generate the new pair in a new directory and start the portal with it");
        }
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()) + "\n");
        Files.writeString(pub, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()) + "\n");
        return pub;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new PortalConfig.ConfigException(file + ": cannot read (" + e.getMessage() + ")",
                    "check the path and that the portal's user may read it");
        }
    }
}
