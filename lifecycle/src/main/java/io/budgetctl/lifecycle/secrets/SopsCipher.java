package io.budgetctl.lifecycle.secrets;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * sops' value cipher: {@code ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]}, AES-256-GCM with a 32-byte IV
 * and the value's key path ({@code a:b:c:}) as additional authenticated data. Types follow sops 3.x: str, int,
 * int64, float, bool (written {@code True}/{@code False}), bytes and comment. An empty value stays empty, as in sops.
 */
final class SopsCipher {
    private static final Pattern ENC = Pattern.compile(
            "^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
    private static final int IV_BYTES = 32;
    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SopsCipher() {
    }

    static boolean looksEncrypted(String s) {
        return s.startsWith("ENC[AES256_GCM,");
    }

    /** Raised for a value that does not parse or does not authenticate: the caller adds where it was. */
    static final class CipherFailure extends Exception {
        CipherFailure(String message) {
            super(message);
        }
    }

    /** Decrypts one sops value; the result is typed (String, Long, Double, Boolean, byte[] or {@link Comment}). */
    static Object decrypt(String value, byte[] key, String aad) throws CipherFailure {
        if (value.isEmpty()) {
            return "";
        }
        Matcher m = ENC.matcher(value);
        if (!m.find()) {
            throw new CipherFailure("value is not in sops' ENC[AES256_GCM,...] format");
        }
        byte[] data;
        byte[] iv;
        byte[] tag;
        try {
            data = Base64.getDecoder().decode(m.group(1));
            iv = Base64.getDecoder().decode(m.group(2));
            tag = Base64.getDecoder().decode(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new CipherFailure("value has bad base64 in data, iv or tag");
        }
        if (iv.length == 0) {
            throw new CipherFailure("value has an empty iv");
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(tag.length * 8, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] both = Arrays.copyOf(data, data.length + tag.length);
            System.arraycopy(tag, 0, both, data.length, tag.length);
            plain = c.doFinal(both);
        } catch (GeneralSecurityException e) {
            throw new CipherFailure("value does not authenticate with the data key (AES-GCM tag mismatch)");
        }
        String text = new String(plain, StandardCharsets.UTF_8);
        String type = m.group(4);
        try {
            switch (type) {
                case "str":
                    return text;
                case "int":
                case "int64":
                    return Long.parseLong(text);
                case "float":
                    return Double.parseDouble(text);
                case "bytes":
                    return plain;
                case "bool":
                    return parseGoBool(text);
                case "comment":
                    return new Comment(text);
                default:
                    throw new CipherFailure("value has unknown type '" + type + "'");
            }
        } catch (NumberFormatException e) {
            throw new CipherFailure("value of type " + type + " does not parse");
        }
    }

    /** Encrypts a typed value (see {@link #decrypt}) with a fresh random IV. */
    static String encrypt(Object value, byte[] key, String aad) {
        String type;
        byte[] plain;
        if (value instanceof String s) {
            if (s.isEmpty()) {
                return "";
            }
            type = "str";
            plain = s.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof Comment c) {
            if (c.value().isEmpty()) {
                return "";
            }
            type = "comment";
            plain = c.value().getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] b) {
            if (b.length == 0) {
                return "";
            }
            type = "bytes";
            plain = b;
        } else if (value instanceof Long || value instanceof Integer) {
            type = "int";
            plain = toBytes(value);
        } else if (value instanceof Double) {
            type = "float";
            plain = toBytes(value);
        } else if (value instanceof Boolean) {
            type = "bool";
            plain = toBytes(value);
        } else {
            throw new IllegalArgumentException("cannot encrypt a " + (value == null ? "null" : value.getClass()));
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] out = c.doFinal(plain);
            byte[] data = Arrays.copyOf(out, out.length - TAG_BYTES);
            byte[] tag = Arrays.copyOfRange(out, out.length - TAG_BYTES, out.length);
            Base64.Encoder b64 = Base64.getEncoder();
            return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv) + ",tag:"
                    + b64.encodeToString(tag) + ",type:" + type + "]";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** sops' {@code ToBytes}: what the MAC hashes for a value. */
    static byte[] toBytes(Object v) {
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Long || v instanceof Integer) {
            return v.toString().getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Double d) {
            return goFormatFloat(d).getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof Boolean b) {
            return (b ? "True" : "False").getBytes(StandardCharsets.UTF_8);
        }
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof Comment c) {
            return toBytes(c.value());
        }
        throw new IllegalArgumentException("cannot convert " + (v == null ? "null" : v.getClass()) + " to bytes");
    }

    /** Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest round-trip digits, never an exponent. */
    static String goFormatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** Go's {@code strconv.ParseBool}. */
    static boolean parseGoBool(String s) {
        switch (s) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                throw new NumberFormatException(s);
        }
    }
}
