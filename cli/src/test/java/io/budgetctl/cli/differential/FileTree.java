package io.budgetctl.cli.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a run left on disk under one directory: relative path -> type, permission bits, content (text with the run's
 * own absolute paths replaced by placeholders, or a digest for binary files) and symlink target. Timestamps and
 * owners are not recorded; backup files ({@code name.<pid>.<date>@<time>~}) get a stable name.
 */
final class FileTree {
    /** Ansible's backup suffix: {@code .<pid>.<YYYY-MM-DD>@<HH:MM:SS>~}. */
    private static final Pattern BACKUP = Pattern.compile("\\.\\d+\\.\\d{4}-\\d{2}-\\d{2}@\\d{2}:\\d{2}:\\d{2}~$");

    record Node(String type, String mode, String content) {
        String describe() {
            return type + " " + mode + (type.equals("link") ? " -> " + content : "");
        }
    }

    private FileTree() {
    }

    /**
     * Snapshot of {@code root}. {@code replacements} maps literal strings (such as the run's base directory) to the
     * placeholder that stands for them in contents and link targets; longer keys are applied first.
     */
    static Map<String, Node> snapshot(Path root, Map<String, String> replacements) {
        Map<String, String> ordered = new LinkedHashMap<>();
        replacements.entrySet().stream().sorted((x, y) -> y.getKey().length() - x.getKey().length())
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        Map<String, Node> tree = new TreeMap<>();
        Map<String, Integer> backups = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : paths) {
            String rel = root.relativize(p).toString();
            if (BACKUP.matcher(rel).find()) {
                String base = BACKUP.matcher(rel).replaceFirst("");
                int n = backups.merge(base, 1, Integer::sum);
                rel = base + ".<backup-" + n + ">~";
            }
            tree.put(rel, node(p, ordered));
        }
        return tree;
    }

    private static Node node(Path p, Map<String, String> replacements) {
        try {
            if (Files.isSymbolicLink(p)) {
                return new Node("link", "", replace(Files.readSymbolicLink(p).toString(), replacements));
            }
            String mode = mode(p);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return new Node("dir", mode, "");
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return new Node("other", mode, "");
            }
            byte[] bytes = Files.readAllBytes(p);
            String text = utf8(bytes);
            return new Node("file", mode, text == null ? "binary sha256:" + sha256(bytes) : replace(text, replacements));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Human-readable differences between two snapshots; empty when they are the same. */
    static List<String> diff(Map<String, Node> a, Map<String, Node> b, String nameA, String nameB) {
        List<String> out = new ArrayList<>();
        Set<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        for (String path : all) {
            Node x = a.get(path);
            Node y = b.get(path);
            if (x == null) {
                out.add("only in " + nameB + ": " + path + " (" + y.describe() + ")");
            } else if (y == null) {
                out.add("only in " + nameA + ": " + path + " (" + x.describe() + ")");
            } else if (!x.type().equals(y.type()) || !x.mode().equals(y.mode())) {
                out.add(path + ": " + nameA + " " + x.describe() + " / " + nameB + " " + y.describe());
            } else if (!x.content().equals(y.content())) {
                out.add(path + ": content differs");
                out.addAll(textDiff(x.content(), y.content(), nameA, nameB));
            }
        }
        return out;
    }

    /** The first differing lines with a little context, each side labelled. */
    static List<String> textDiff(String a, String b, String nameA, String nameB) {
        String[] la = a.split("\n", -1);
        String[] lb = b.split("\n", -1);
        int first = 0;
        while (first < la.length && first < lb.length && la[first].equals(lb[first])) {
            first++;
        }
        List<String> out = new ArrayList<>();
        int from = Math.max(0, first - 2);
        out.add("    @@ line " + (first + 1) + " @@");
        for (int i = from; i < first; i++) {
            out.add("      " + la[i]);
        }
        for (int i = first; i < Math.min(la.length, first + 6); i++) {
            out.add("    - " + la[i] + (i == la.length - 1 && la[i].isEmpty() ? "<EOF>" : ""));
        }
        for (int i = first; i < Math.min(lb.length, first + 6); i++) {
            out.add("    + " + lb[i] + (i == lb.length - 1 && lb[i].isEmpty() ? "<EOF>" : ""));
        }
        out.add("    (- " + nameA + ", + " + nameB + ")");
        return out;
    }

    private static String replace(String s, Map<String, String> replacements) {
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    /** Permission bits including setuid/setgid/sticky where the platform exposes them (unix:mode). */
    private static String mode(Path p) throws IOException {
        int m;
        try {
            m = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            m = 0;
            for (PosixFilePermission perm : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
                m |= 1 << (8 - perm.ordinal());
            }
        }
        return String.format("%04o", m);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
