package io.budgetctl.lifecycle.secrets;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Walks the branches of a SOPS document the way sops 3.x's {@code walkBranch} does, encrypting or decrypting every
 * leaf that the rules say is encrypted (additional data: the key path joined with ':' plus a trailing ':') and
 * hashing the plaintext values, in order, into the SHA-512 MAC. Comments are never part of the MAC; null values are
 * neither encrypted nor hashed.
 */
final class SopsTree {
    /** sha256("sops"): the first bytes hashed when mac_only_encrypted is set (sops' MACOnlyEncryptedInitialization). */
    private static final byte[] MAC_ONLY_ENCRYPTED_INIT = HexFormat.of().parseHex(
            "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

    private final SopsMetadata.Rules rules;
    private final Pattern unencryptedRegex;
    private final Pattern encryptedRegex;
    private final Pattern unencryptedCommentRegex;
    private final Pattern encryptedCommentRegex;

    SopsTree(SopsMetadata.Rules rules) {
        this.rules = rules;
        this.unencryptedRegex = compile(rules.unencryptedRegex());
        this.encryptedRegex = compile(rules.encryptedRegex());
        this.unencryptedCommentRegex = compile(rules.unencryptedCommentRegex());
        this.encryptedCommentRegex = compile(rules.encryptedCommentRegex());
    }

    private static Pattern compile(String re) {
        return re == null || re.isEmpty() ? null : Pattern.compile(re);
    }

    /** A value that could not be decrypted: {@code path} says where. */
    static final class LeafFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;

        LeafFailure(String path, String message) {
            super(message);
            this.path = path;
        }
    }

    private interface Leaf {
        Object apply(Object in, List<String> path, List<List<String>> comments);
    }

    /** Decrypts in place; returns the MAC (upper-case hex SHA-512) of the plaintext. */
    String decrypt(List<Branch> branches, byte[] key) {
        MessageDigest hash = macHash();
        Leaf leaf = (in, path, comments) -> {
            boolean isComment = in instanceof Comment;
            boolean encrypted = shouldBeEncrypted(path, comments, isComment);
            Object v = in;
            if (encrypted) {
                if (in instanceof Comment c) {
                    v = decryptComment(c, path, key);
                } else if (in instanceof String s) {
                    try {
                        v = SopsCipher.decrypt(s, key, aad(path));
                    } catch (SopsCipher.CipherFailure e) {
                        throw new LeafFailure(display(path), e.getMessage());
                    }
                } else {
                    throw new LeafFailure(display(path), "value is not encrypted although the file's rules say it "
                            + "should be (was it added by hand?)");
                }
            }
            if (!(v instanceof Comment) && (!rules.macOnlyEncrypted() || encrypted)) {
                hash.update(SopsCipher.toBytes(v));
            }
            return v;
        };
        for (Branch b : branches) {
            walkBranch(b, new ArrayList<>(), new ArrayList<>(), leaf);
        }
        return HexFormat.of().withUpperCase().formatHex(hash.digest());
    }

    /** Encrypts in place; returns the MAC (upper-case hex SHA-512) of the plaintext. */
    String encrypt(List<Branch> branches, byte[] key) {
        MessageDigest hash = macHash();
        Leaf leaf = (in, path, comments) -> {
            boolean isComment = in instanceof Comment;
            boolean encrypted = shouldBeEncrypted(path, comments, isComment);
            if (!isComment && (!rules.macOnlyEncrypted() || encrypted)) {
                hash.update(SopsCipher.toBytes(in));
            }
            if (!encrypted) {
                return in;
            }
            String enc = SopsCipher.encrypt(in, key, aad(path));
            return isComment ? new Comment(enc) : enc;
        };
        for (Branch b : branches) {
            walkBranch(b, new ArrayList<>(), new ArrayList<>(), leaf);
        }
        return HexFormat.of().withUpperCase().formatHex(hash.digest());
    }

    /**
     * An encrypted comment's additional data is the path of the mapping it sits in. YAML does not say for sure which
     * level a comment between two levels belongs to, so the enclosing paths are tried from the innermost out; a
     * comment that decrypts under none of them was never encrypted and stays as it is (what sops does as well).
     */
    private static Object decryptComment(Comment c, List<String> path, byte[] key) {
        if (!SopsCipher.looksEncrypted(c.value())) {
            return c;
        }
        for (int n = path.size(); n >= 0; n--) {
            try {
                Object v = SopsCipher.decrypt(c.value(), key, aad(path.subList(0, n)));
                return v instanceof Comment ? v : new Comment(String.valueOf(v));
            } catch (SopsCipher.CipherFailure e) {
                // try the enclosing level
            }
        }
        return c;
    }

    static String aad(List<String> path) {
        return String.join(":", path) + ":";
    }

    static String display(List<String> path) {
        return path.isEmpty() ? "(top level)" : String.join(".", path);
    }

    private Branch walkBranch(Branch in, List<String> path, List<List<String>> comments, Leaf leaf) {
        List<List<String>> stack = new ArrayList<>(comments);
        List<String> active = new ArrayList<>();
        stack.add(active);
        for (int i = 0; i < in.size(); i++) {
            TreeItem item = in.get(i);
            if (item.key instanceof Comment c) {
                active.add(c.value());
                Object enc = walkValue(c, path, stack, leaf);
                in.set(i, new TreeItem(enc instanceof Comment ec ? ec : new Comment(String.valueOf(enc)), null));
                continue;
            }
            List<String> child = new ArrayList<>(path);
            child.add((String) item.key);
            item.value = walkValue(item.value, child, stack, leaf);
            active.clear();
        }
        return in;
    }

    private List<Object> walkSlice(List<Object> in, List<String> path, List<List<String>> comments, Leaf leaf) {
        List<List<String>> stack = new ArrayList<>(comments);
        List<String> active = new ArrayList<>();
        stack.add(active);
        for (int i = 0; i < in.size(); i++) {
            Object v = in.get(i);
            boolean isComment = v instanceof Comment;
            if (v instanceof Comment c) {
                active.add(c.value());
            }
            in.set(i, walkValue(v, path, stack, leaf));
            if (!isComment) {
                active.clear();
            }
        }
        return in;
    }

    @SuppressWarnings("unchecked")
    private Object walkValue(Object in, List<String> path, List<List<String>> comments, Leaf leaf) {
        if (in == null) {
            return null;
        }
        if (in instanceof Branch b) {
            return walkBranch(b, path, comments, leaf);
        }
        if (in instanceof List<?> l) {
            return walkSlice((List<Object>) l, path, comments, leaf);
        }
        return leaf.apply(in, path, comments);
    }

    /** sops' {@code shouldBeEncrypted}, rule for rule. */
    boolean shouldBeEncrypted(List<String> path, List<List<String>> comments, boolean isComment) {
        boolean encrypted = true;
        if (!rules.unencryptedSuffix().isEmpty()) {
            for (String p : path) {
                if (p.endsWith(rules.unencryptedSuffix())) {
                    encrypted = false;
                    break;
                }
            }
        }
        if (!rules.encryptedSuffix().isEmpty()) {
            encrypted = false;
            for (String p : path) {
                if (p.endsWith(rules.encryptedSuffix())) {
                    encrypted = true;
                    break;
                }
            }
        }
        if (unencryptedRegex != null) {
            for (String p : path) {
                if (unencryptedRegex.matcher(p).find()) {
                    encrypted = false;
                    break;
                }
            }
        }
        if (encryptedRegex != null) {
            encrypted = false;
            for (String p : path) {
                if (encryptedRegex.matcher(p).find()) {
                    encrypted = true;
                    break;
                }
            }
        }
        if (unencryptedCommentRegex != null) {
            outer:
            for (List<String> cs : comments) {
                for (String c : cs) {
                    if (unencryptedCommentRegex.matcher(c).find()) {
                        encrypted = false;
                        break outer;
                    }
                }
            }
        }
        if (encryptedCommentRegex != null) {
            encrypted = false;
            int last = comments.size() - 1;
            int lastLen = comments.get(last).size();
            outer:
            for (int i = 0; i < comments.size(); i++) {
                List<String> cs = comments.get(i);
                for (int j = 0; j < cs.size(); j++) {
                    if (isComment && i == last && j == lastLen - 1) {
                        continue;
                    }
                    if (encryptedCommentRegex.matcher(cs.get(j)).find()) {
                        encrypted = true;
                        break outer;
                    }
                }
            }
        }
        return encrypted;
    }

    private static MessageDigest newHash() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private MessageDigest macHash() {
        MessageDigest h = newHash();
        if (rules.macOnlyEncrypted()) {
            h.update(MAC_ONLY_ENCRYPTED_INIT);
        }
        return h;
    }
}
