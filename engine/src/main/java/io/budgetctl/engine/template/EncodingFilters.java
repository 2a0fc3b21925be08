package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.Charset;
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
 * {@code b64decode} (of the text in an encoding, UTF-8 unless told), {@code hash}/{@code md5}/{@code sha1}/
 * {@code checksum} (hex digests of the UTF-8 text) and {@code password_hash} (crypt(3) for sha512, sha256 and md5;
 * Bcrypt for bcrypt). Keywords Python's json.dumps or yaml.dump take and we do not implement are declared, so using
 * one fails naming it rather than being dropped.
 */
final class EncodingFilters {
    /** json.dumps keywords beyond indent, separators, sort_keys and ensure_ascii; to_json passes all of them on. */
    private static final String JSON_REST = "skipkeys=?, check_circular=?, allow_nan=?, cls=?, default=?, "
            + "vault_to_text=?, preprocess_unsafe=?";

    /**
     * yaml.dump keywords beyond indent, sort_keys, default_flow_style and width (width is accepted and changes
     * nothing: we never fold lines, which is what a large width gives in PyYAML); allow_unicode and Dumper are
     * Ansible's own, so a template passing them fails there too.
     */
    private static final String YAML_REST = "width=None, sort_keys=True, default_style=?, canonical=?, line_break=?, "
            + "encoding=?, explicit_start=?, explicit_end=?, version=?, tags=?, allow_unicode=?, Dumper=?";

    /** Ansible's default salt length of each crypt method, also the longest salt it accepts (bcrypt: exactly). */
    private static final java.util.Map<String, Integer> SALT_SIZE = java.util.Map.of("sha512", 16, "sha256", 16,
            "md5", 8, "bcrypt", 22);

    private EncodingFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        // to_json(a, *args, **kw) hands everything to json.dumps, whose options are all keyword-only
        f.add(Fn.filter("to_json", "*, indent=None, separators=None, sort_keys=False, ensure_ascii=True, " + JSON_REST,
                false, (v, a) -> json(v, a, a.bool("sort_keys"), separators(a, a.integerOrNone("indent")))));
        // to_nice_json sets separators itself: passing them is Python's "multiple values" TypeError
        f.add(Fn.filter("to_nice_json", "indent=4, sort_keys=True, *, ensure_ascii=True, separators=?, " + JSON_REST,
                false, (v, a) -> json(v, a, a.bool("sort_keys"), new String[] {",", ": "})));
        // json.loads(s, *, cls, ..., **kw): strict=True (no raw control characters in strings) is what we parse
        f.add(Fn.filter("from_json", "*, strict=True, cls=?, object_hook=?, parse_float=?, parse_int=?, "
                + "parse_constant=?, object_pairs_hook=?", false, (v, a) -> {
                    if (!a.bool("strict")) {
                        throw new TemplateFailure("from_json: strict=False is not supported",
                                "escape control characters inside JSON strings (\\n, \\t)");
                    }
                    return JsonIn.parse(Py.str(v));
                }));
        // to_yaml(a, *args, **kw) ignores *args; default_flow_style None is PyYAML's flow style for leaves
        f.add(Fn.filter("to_yaml", "*args, indent=2, default_flow_style=None, " + YAML_REST, false,
                (v, a) -> yaml(v, a, a.get("default_flow_style") == null ? null : a.bool("default_flow_style"))));
        f.add(Fn.filter("to_nice_yaml", "indent=4, *args, default_flow_style=?, " + YAML_REST, false,
                (v, a) -> yaml(v, a, false)));
        f.add(Fn.filter("b64encode", "encoding='utf-8'", false, (v, a) -> Base64.getEncoder().encodeToString(Py.str(v)
                .getBytes(charset("b64encode", a.str("encoding"))))));
        f.add(Fn.filter("b64decode", "encoding='utf-8'", false, (v, a) -> {
            Charset cs = charset("b64decode", a.str("encoding"));
            try {
                return new String(Base64.getMimeDecoder().decode(Py.str(v)), cs);
            } catch (IllegalArgumentException e) {
                throw new TemplateFailure("b64decode: " + e.getMessage(), "the value is not base64");
            }
        }));
        f.add(Fn.filter("hash", "hashtype='sha1'", false, (v, a) -> digest(Py.str(v), a.str("hashtype"))));
        f.add(Fn.filter("md5", "", false, (v, a) -> digest(Py.str(v), "md5")));
        f.add(Fn.filter("sha1", "", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("checksum", "hash_func=?", false, (v, a) -> digest(Py.str(v), "sha1")));
        f.add(Fn.filter("password_hash", "hashtype='sha512', salt=None, salt_size=None, rounds=None, ident=None",
                false, (v, a) -> passwordHash(Py.str(v), a)));
        return f;
    }

    private static String json(Object v, Fn.Args a, boolean sortKeys, String[] separators) {
        Long indent = a.integerOrNone("indent");
        return PyJson.dumps(v, indent == null ? null : indent.intValue(), sortKeys, separators[0], separators[1],
                a.bool("ensure_ascii"));
    }

    /** json.dumps' separators: as given (a pair of strings), else ", " between items on one line, "," when indented. */
    private static String[] separators(Fn.Args a, Long indent) {
        Object given = a.get("separators");
        if (given == null) {
            return new String[] {indent == null ? ", " : ",", ": "};
        }
        if (!(given instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof CharSequence)
                || !(l.get(1) instanceof CharSequence)) {
            throw new TemplateFailure(a.who + ": separators must be a pair of strings, got " + Py.typeName(given),
                    "e.g. separators=(',', ':') for compact JSON");
        }
        return new String[] {Py.str(l.get(0)), Py.str(l.get(1))};
    }

    private static String yaml(Object v, Fn.Args a, Boolean flowStyle) {
        a.get("width"); // accepted: we never fold, as PyYAML with a large width
        return PyYaml.dump(v, (int) a.integer("indent"), flowStyle, a.bool("sort_keys"));
    }

    /**
     * The charset for one of Python's codec names: its spellings ({@code utf_8}, {@code UTF8}, {@code latin-1}),
     * and its {@code utf-16}/{@code utf-32}, which write a little-endian byte order mark (Java's write big-endian).
     */
    static Charset charset(String who, String name) {
        String key = name.toLowerCase(Locale.ROOT).replaceAll("[-_ ]+", "-");
        String java = switch (key) {
            case "utf-16", "utf16" -> "x-UTF-16LE-BOM";
            case "utf-32", "utf32" -> "X-UTF-32LE-BOM";
            case "latin-1", "latin1", "l1", "iso-8859-1", "iso8859-1" -> "ISO-8859-1";
            default -> key.replaceAll("-(le|be)$", "$1");
        };
        try {
            return Charset.forName(java);
        } catch (IllegalArgumentException e) {
            throw new TemplateFailure(who + ": unknown encoding: " + name, "e.g. 'utf-8' (the default), "
                    + "'utf-16-le' (Windows' -EncodedCommand) or 'latin-1'");
        }
    }

    private static String passwordHash(String password, Fn.Args a) {
        String type = a.str("hashtype");
        String salt = a.str("salt");
        Long rounds = a.integerOrNone("rounds");
        Long saltSize = a.integerOrNone("salt_size");
        String method = type.equals("blowfish") ? "bcrypt" : type;
        int maxSalt = SALT_SIZE.getOrDefault(method, 16);
        if (saltSize != null && saltSize != 0 && (saltSize > maxSalt || saltSize < 0
                || method.equals("bcrypt") && saltSize != maxSalt)) {
            throw new TemplateFailure("password_hash: invalid salt size " + saltSize + " for " + type,
                    method.equals("bcrypt") ? "a bcrypt salt is 22 characters" : "at most " + maxSalt + " for " + type);
        }
        if (method.equals("bcrypt")) {
            return Bcrypt.hash(password, salt, rounds == null ? 12 : rounds.intValue(),
                    a.get("ident") == null ? "2b" : a.str("ident"));
        }
        String prefix = switch (type) {
            case "sha512" -> "$6$";
            case "sha256" -> "$5$";
            case "md5" -> "$1$";
            default -> throw new TemplateFailure("password_hash: unsupported hash type '" + type + "'",
                    "use sha512, sha256, md5 or bcrypt");
        };
        if (salt == null) {
            // Ansible: salt_size or the method's own (16, md5 8)
            salt = randomSalt(saltSize == null || saltSize == 0 ? maxSalt : saltSize.intValue());
        }
        // like Ansible's crypt path (and passlib): the implicit 5000 rounds are not written into the hash
        boolean explicitRounds = rounds != null && rounds != 5000 && !prefix.equals("$1$");
        String spec = prefix + (explicitRounds ? "rounds=" + rounds + "$" : "") + salt;
        return Crypt.crypt(password.getBytes(StandardCharsets.UTF_8), spec);
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

    private static String randomSalt(int size) {
        String chars = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
