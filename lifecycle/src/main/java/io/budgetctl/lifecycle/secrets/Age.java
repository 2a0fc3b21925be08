package io.budgetctl.lifecycle.secrets;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The age v1 file format (age-encryption.org/v1) with X25519 recipients, natively on the JDK: header with one
 * {@code X25519} stanza per recipient (the 16-byte file key wrapped with ChaCha20-Poly1305 under
 * HKDF-SHA256(shared secret, salt = ephemeral share || recipient, "age-encryption.org/v1/X25519")), the header MAC
 * (HMAC-SHA256 under HKDF(file key, "header")), then a 16-byte nonce and the STREAM payload (64 KiB ChaCha20-Poly1305
 * chunks, 11-byte counter + last-chunk flag as nonce) under HKDF(file key, nonce, "payload"). The ASCII armor is the
 * PEM-like {@code AGE ENCRYPTED FILE} block sops stores in {@code sops.age[].enc}.
 */
final class Age {
    static final String RECIPIENT_HRP = "age";
    static final String IDENTITY_HRP = "age-secret-key-";
    private static final String VERSION_LINE = "age-encryption.org/v1";
    private static final String X25519_INFO = "age-encryption.org/v1/X25519";
    private static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    private static final String ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
    private static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;
    private static final byte[] BASEPOINT = new byte[32];
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder RAW = Base64.getEncoder().withoutPadding();

    static {
        BASEPOINT[0] = 9;
    }

    private Age() {
    }

    /** Something that is not a valid or decryptable age file: the message says what. */
    static final class AgeException extends Exception {
        private static final long serialVersionUID = 1L;

        AgeException(String message) {
            super(message);
        }
    }

    /** An X25519 identity ({@code AGE-SECRET-KEY-1...}). */
    record Identity(byte[] secret) {
        static Identity parse(String text) {
            Bech32.Decoded d = Bech32.decode(text.trim());
            if (!d.hrp().equals(IDENTITY_HRP) || d.data().length != 32) {
                throw new IllegalArgumentException("not an age X25519 identity");
            }
            return new Identity(d.data());
        }

        static Identity generate() {
            byte[] s = new byte[32];
            RANDOM.nextBytes(s);
            return new Identity(s);
        }

        byte[] publicKey() {
            return x25519(secret, BASEPOINT);
        }

        String recipient() {
            return Bech32.encode(RECIPIENT_HRP, publicKey());
        }

        String encoded() {
            return Bech32.encode(IDENTITY_HRP, secret).toUpperCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return "Identity[" + recipient() + "]";
        }
    }

    /** The 32-byte X25519 public key of an {@code age1...} recipient. */
    static byte[] parseRecipient(String recipient) {
        Bech32.Decoded d = Bech32.decode(recipient.trim());
        if (!d.hrp().equals(RECIPIENT_HRP) || d.data().length != 32) {
            throw new IllegalArgumentException("not an age X25519 recipient: " + recipient.trim());
        }
        return d.data();
    }

    /** Encrypts {@code plaintext} to every recipient; returns the armored file. */
    static String encryptArmored(List<String> recipients, byte[] plaintext) {
        return armor(encrypt(recipients, plaintext));
    }

    static byte[] encrypt(List<String> recipients, byte[] plaintext) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("no age recipients");
        }
        byte[] fileKey = random(16);
        StringBuilder header = new StringBuilder(VERSION_LINE).append('\n');
        for (String r : recipients) {
            byte[] recipientKey = parseRecipient(r);
            byte[] ephemeral = random(32);
            byte[] share = x25519(ephemeral, BASEPOINT);
            byte[] shared = x25519(ephemeral, recipientKey);
            byte[] wrapKey = hkdf(shared, concat(share, recipientKey), X25519_INFO);
            byte[] body = chacha(Cipher.ENCRYPT_MODE, wrapKey, new byte[12], fileKey);
            header.append("-> X25519 ").append(RAW.encodeToString(share)).append('\n');
            appendBody(header, body);
        }
        header.append("---");
        byte[] mac = hmac(hkdf(fileKey, new byte[0], "header"), header.toString().getBytes(StandardCharsets.US_ASCII));
        header.append(' ').append(RAW.encodeToString(mac)).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] nonce = random(16);
        out.writeBytes(nonce);
        byte[] payloadKey = hkdf(fileKey, nonce, "payload");
        long counter = 0;
        int off = 0;
        do {
            int n = Math.min(CHUNK, plaintext.length - off);
            boolean last = off + n >= plaintext.length;
            out.writeBytes(chacha(Cipher.ENCRYPT_MODE, payloadKey, streamNonce(counter++, last),
                    Arrays.copyOfRange(plaintext, off, off + n)));
            off += n;
        } while (off < plaintext.length);
        return out.toByteArray();
    }

    private static void appendBody(StringBuilder header, byte[] body) {
        String b64 = RAW.encodeToString(body);
        int i = 0;
        while (b64.length() - i >= 64) {
            header.append(b64, i, i + 64).append('\n');
            i += 64;
        }
        header.append(b64.substring(i)).append('\n'); // the last line is shorter than 64 columns, maybe empty
    }

    /** Decrypts an age file (armored or binary) with the first identity that matches one of its stanzas. */
    static byte[] decrypt(byte[] file, List<Identity> identities) throws AgeException {
        byte[] bin = isArmored(file) ? dearmor(new String(file, StandardCharsets.US_ASCII)) : file;
        int[] pos = {0};
        if (!VERSION_LINE.equals(line(bin, pos))) {
            throw new AgeException("not an age v1 file (first line is not " + VERSION_LINE + ")");
        }
        List<String[]> stanzaArgs = new ArrayList<>();
        List<byte[]> stanzaBodies = new ArrayList<>();
        String macLine;
        int macLineStart;
        while (true) {
            int lineStart = pos[0];
            String l = line(bin, pos);
            if (l == null) {
                throw new AgeException("age header ends without the '---' MAC line");
            }
            if (l.startsWith("---")) {
                macLine = l;
                macLineStart = lineStart;
                break;
            }
            if (!l.startsWith("-> ")) {
                throw new AgeException("malformed age header line");
            }
            stanzaArgs.add(l.substring(3).split(" "));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String b = line(bin, pos);
                if (b == null) {
                    throw new AgeException("age stanza body is not terminated");
                }
                body.writeBytes(b64raw(b));
                if (b.length() < 64) {
                    break;
                }
            }
            stanzaBodies.add(body.toByteArray());
        }
        if (!macLine.startsWith("--- ")) {
            throw new AgeException("malformed age header MAC line");
        }
        byte[] fileKey = null;
        for (int s = 0; s < stanzaArgs.size() && fileKey == null; s++) {
            String[] args = stanzaArgs.get(s);
            if (!args[0].equals("X25519") || args.length != 2) {
                continue;
            }
            byte[] share = b64raw(args[1]);
            if (share.length != 32 || stanzaBodies.get(s).length != 32) {
                throw new AgeException("malformed X25519 stanza");
            }
            for (Identity id : identities) {
                byte[] shared;
                try {
                    shared = x25519Checked(id.secret(), share);
                } catch (InvalidKeyException e) {
                    throw new AgeException("X25519 stanza has a low-order share");
                }
                byte[] wrapKey = hkdf(shared, concat(share, id.publicKey()), X25519_INFO);
                try {
                    fileKey = chachaChecked(Cipher.DECRYPT_MODE, wrapKey, new byte[12], stanzaBodies.get(s));
                    break;
                } catch (GeneralSecurityException e) {
                    // not this identity
                }
            }
        }
        if (fileKey == null) {
            throw new AgeException("no identity matched any of the recipients");
        }
        byte[] headerNoMac = Arrays.copyOfRange(bin, 0, macLineStart + 3);
        byte[] mac = b64raw(macLine.substring(4));
        if (!MessageDigest.isEqual(mac, hmac(hkdf(fileKey, new byte[0], "header"), headerNoMac))) {
            throw new AgeException("age header MAC does not match (the file was altered)");
        }
        int p = pos[0];
        if (bin.length - p < 16) {
            throw new AgeException("age payload is missing its nonce");
        }
        byte[] nonce = Arrays.copyOfRange(bin, p, p + 16);
        p += 16;
        byte[] payloadKey = hkdf(fileKey, nonce, "payload");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long counter = 0;
        do {
            int remaining = bin.length - p;
            int n = Math.min(remaining, CHUNK + TAG);
            boolean last = remaining <= CHUNK + TAG;
            byte[] plain;
            try {
                plain = chachaChecked(Cipher.DECRYPT_MODE, payloadKey, streamNonce(counter, last),
                        Arrays.copyOfRange(bin, p, p + n));
            } catch (GeneralSecurityException e) {
                throw new AgeException("age payload does not authenticate (truncated or altered)");
            }
            if (last && plain.length == 0 && counter > 0) {
                throw new AgeException("age payload ends with an empty chunk");
            }
            out.writeBytes(plain);
            p += n;
            counter++;
        } while (p < bin.length);
        return out.toByteArray();
    }

    static boolean isArmored(byte[] file) {
        String head = new String(file, 0, Math.min(file.length, 64), StandardCharsets.US_ASCII).strip();
        return head.startsWith(ARMOR_BEGIN);
    }

    static String armor(byte[] bin) {
        String b64 = Base64.getEncoder().encodeToString(bin);
        StringBuilder sb = new StringBuilder(ARMOR_BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        return sb.append(ARMOR_END).append('\n').toString();
    }

    static byte[] dearmor(String text) throws AgeException {
        String t = text.strip();
        if (!t.startsWith(ARMOR_BEGIN) || !t.endsWith(ARMOR_END)) {
            throw new AgeException("armored age file lacks its BEGIN/END lines");
        }
        String body = t.substring(ARMOR_BEGIN.length(), t.length() - ARMOR_END.length()).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new AgeException("armored age file has bad base64");
        }
    }

    private static String line(byte[] bin, int[] pos) {
        int start = pos[0];
        for (int i = start; i < bin.length; i++) {
            if (bin[i] == '\n') {
                pos[0] = i + 1;
                return new String(bin, start, i - start, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static byte[] b64raw(String s) throws AgeException {
        if (s.endsWith("=")) {
            throw new AgeException("age header uses padded base64");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new AgeException("age header has bad base64");
        }
    }

    private static byte[] streamNonce(long counter, boolean last) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[10 - i] = (byte) (counter >>> (8 * i));
        }
        n[11] = (byte) (last ? 1 : 0);
        return n;
    }

    static byte[] x25519(byte[] scalar, byte[] u) {
        try {
            return x25519Checked(scalar, u);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("X25519 produced the all-zero value (low-order point)", e);
        }
    }

    private static byte[] x25519Checked(byte[] scalar, byte[] u) throws InvalidKeyException {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            byte[] le = u.clone();
            le[31] &= 0x7f;
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = le[31 - i];
            }
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] out = ka.generateSecret();
            if (MessageDigest.isEqual(out, new byte[32])) {
                throw new InvalidKeyException("all-zero shared secret");
            }
            return out;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
        byte[] prk = hmac(salt.length == 0 ? new byte[32] : salt, ikm);
        byte[] infoBytes = info.getBytes(StandardCharsets.US_ASCII);
        return hmac(prk, concat(infoBytes, new byte[] {1}));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] chacha(int mode, byte[] key, byte[] nonce, byte[] data) {
        try {
            return chachaChecked(mode, key, nonce, data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
        }
    }

    private static byte[] chachaChecked(int mode, byte[] key, byte[] nonce, byte[] data)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        return c.doFinal(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
