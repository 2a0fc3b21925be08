package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.commons.codec.digest.Crypt;

/**
 * Filters that serialise, encode or hash a value: {@code to_json}/{@code to_nice_json} (PyJson: what Python's
 * json.dumps writes), {@code from_json}, {@code to_yaml}/{@code to_nice_yaml} (PyYaml), {@code b64encode}/
 * {@code b64decode} (of the UTF-8 text), {@code hash}/{@code md5}/{@code sha1}/{@code checksum} (hex digests of the
 * UTF-8 text) and {@code password_hash} (crypt(3) for sha512, sha256 and md5; Bcrypt for bcrypt).
 */
final class EncodingFilters {
    private EncodingFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        f.add(Fn.filter("to_json", false, (v, a) -> {
            Object indent = a.kw.get("indent");
            boolean sort = Py.truth(a.kw.getOrDefault("sort_keys", false));
            return PyJson.dumps(v, indent == null ? null : ((Number) indent).intValue(), sort,
                    indent == null ? ", " : ",", ": ");
        }));
        f.add(Fn.filter("to_nice_json", false, (v, a) -> PyJson.dumps(v,
                ((Number) a.get(0, "indent", 4L)).intValue(), a.bool(1, "sort_keys", true), ",", ": ")));
        f.add(Fn.filter("from_json", false, (v, a) -> JsonIn.parse(Py.str(v))));
        f.add(Fn.filter("to_yaml", false, (v, a) -> PyYaml.dump(v, ((Number) a.kw.getOrDefault("indent", 2L))
                .intValue(), !a.kw.containsKey("default_flow_style") || a.kw.get("default_flow_style") == null)));
        f.add(Fn.filter("to_nice_yaml", false, (v, a) -> PyYaml.dump(v, ((Number) a.get(0, "indent", 4L)).intValue(),
                false)));
        f.add(Fn.filter("b64encode", false, (v, a) -> Base64.getEncoder().encodeToString(Py.str(v)
                .getBytes(StandardCharsets.UTF_8))));
        f.add(Fn.filter("b64decode", false, (v, a) -> {
            try {
                return new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new TemplateFailure("b64decode: " + e.getMessage(), "the value is not base64");
            }
        }));
        f.add(Fn.filter("hash", false, (v, a) -> digest(Py.str(v), a.str(0, "hashtype", "sha1"))));
        f.add(Fn.filter("md5", false, (v, a) -> digest(Py.str(v), "md5")));
        f.add(Fn.filter("sha1", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("checksum", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("password_hash", false, (v, a) -> {
            String type = a.str(0, "hashtype", "sha512");
            String salt = a.str(1, "salt", null);
            // Ansible's signature: password_hash(hashtype, salt, salt_size, rounds, ident)
            Object rounds = a.get(3, "rounds", null);
            if (type.equals("bcrypt") || type.equals("blowfish")) {
                return Bcrypt.hash(Py.str(v), salt, rounds == null ? 12 : ((Number) rounds).intValue(),
                        a.str(4, "ident", "2b"));
            }
            String prefix = switch (type) {
                case "sha512" -> "$6$";
                case "sha256" -> "$5$";
                case "md5" -> "$1$";
                default -> throw new TemplateFailure("password_hash: unsupported hash type '" + type + "'",
                        "use sha512, sha256, md5 or bcrypt");
            };
            if (salt == null) {
                salt = randomSalt();
            }
            // like Ansible's crypt path (and passlib): the implicit 5000 rounds are not written into the hash
            boolean explicitRounds = rounds != null && ((Number) rounds).longValue() != 5000 && !prefix.equals("$1$");
            String spec = prefix + (explicitRounds ? "rounds=" + rounds + "$" : "") + salt;
            return Crypt.crypt(Py.str(v).getBytes(StandardCharsets.UTF_8), spec);
        }));
        return f;
    }

    private static String digest(String s, String algo) {
        String name = switch (algo.toLowerCase(Locale.ROOT)) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new TemplateFailure("hash: unsupported hash type '" + algo + "'",
                    "use md5, sha1, sha224, sha256, sha384 or sha512");
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSalt() {
        String chars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
