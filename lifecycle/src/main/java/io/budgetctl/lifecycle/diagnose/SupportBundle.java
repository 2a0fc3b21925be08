package io.budgetctl.lifecycle.diagnose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.budgetctl.lifecycle.secrets.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The support bundle of {@code budgetctl diagnose}: text files, each redacted ({@link Redactor}: every form of every
 * secret of the run, and secret-named {@code NAME=value} lines) <em>before</em> it is added, bounded in total size,
 * written as a tar.gz with {@code manifest.json} (customer, time, budgetctl version, every file with its size and
 * SHA-256, what was cut). Nothing unredacted is ever written: the archive is built in memory-sized pieces straight
 * into a temporary file next to the target, renamed over it when complete.
 */
public final class SupportBundle {
    /** Uncompressed bytes of all files together; a file that does not fit is cut, later ones replaced by a marker. */
    public static final int MAX_TOTAL_BYTES = 16 * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}(/[A-Za-z0-9][A-Za-z0-9_.-]{0,127}){0,4}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Redactor redactor;
    private final int maxTotal;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<Map<String, Object>> entries = new ArrayList<>();
    private int total;
    private int redactions;

    public SupportBundle(Redactor redactor) {
        this(redactor, MAX_TOTAL_BYTES);
    }

    public SupportBundle(Redactor redactor, int maxTotal) {
        this.redactor = redactor;
        this.maxTotal = maxTotal;
    }

    /** True for a file name the bundle accepts (names come from the host: plain segments, no {@code ..}). */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /**
     * Adds {@code text} as {@code name}, redacted first; {@code cutOnHost} records that the host already cut it.
     *
     * @throws IllegalArgumentException for a name {@link #validName} refuses or one added twice
     */
    public void add(String name, String text, boolean cutOnHost) {
        if (!validName(name) || name.equals("manifest.json") || files.containsKey(name)) {
            throw new IllegalArgumentException("not a file name for the bundle: " + name);
        }
        Redactor.Redacted r = redactor.redactCounting(text == null ? "" : text);
        Redactor.Redacted a = Redactor.redactAssignments(r.text());
        String clean = a.text();
        boolean cut = cutOnHost;
        byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
        if (total + bytes.length > maxTotal) {
            int room = Math.max(0, maxTotal - total);
            String marker = "\n[budgetctl diagnose: cut here, the bundle's limit of " + maxTotal + " bytes was reached]\n";
            // cut at a character boundary of the redacted text: a mask is never split into a half-secret
            String kept = room > marker.length() ? new String(bytes, 0, room - marker.length(), StandardCharsets.UTF_8)
                    : "";
            bytes = (kept + marker).getBytes(StandardCharsets.UTF_8);
            cut = true;
        }
        total += bytes.length;
        redactions += r.replacements() + a.replacements();
        files.put(name, bytes);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("size", bytes.length);
        e.put("sha256", sha256(bytes));
        e.put("truncated", cut);
        e.put("redactions", r.replacements() + a.replacements());
        entries.add(e);
    }

    /** The names added so far, in order. */
    public List<String> names() {
        return List.copyOf(files.keySet());
    }

    /** Replacements made in all files. */
    public int redactions() {
        return redactions;
    }

    /**
     * Writes the bundle: {@code manifest.json} first, then the files, as a tar.gz at {@code target} (atomically).
     *
     * @return the manifest
     */
    public Map<String, Object> write(Path target, String customer, String budgetctlVersion, Instant now,
                                     Map<String, Object> details) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("customer", customer);
        manifest.put("created_at", now.toString());
        manifest.put("budgetctl_version", budgetctlVersion);
        manifest.putAll(details);
        Map<String, Object> redaction = new LinkedHashMap<>();
        redaction.put("secret_values", redactor.values());
        redaction.put("too_short_to_search", redactor.tooShort());
        redaction.put("replacements", redactions);
        redaction.put("mask", io.budgetctl.engine.api.Secret.MASK);
        manifest.put("redaction", redaction);
        manifest.put("max_total_bytes", maxTotal);
        manifest.put("total_bytes", total);
        manifest.put("files", entries);
        byte[] m = redactor.redact(JSON.writeValueAsString(manifest)).getBytes(StandardCharsets.UTF_8);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".diagnose-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp);
                 GZIPOutputStream gz = new GZIPOutputStream(out);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                String root = "diagnose-" + customer + "/";
                entry(tar, root + "manifest.json", m, now);
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    entry(tar, root + f.getKey(), f.getValue(), now);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return manifest;
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] bytes, Instant now) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setMode(0640);
        e.setModTime(now.toEpochMilli());
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
