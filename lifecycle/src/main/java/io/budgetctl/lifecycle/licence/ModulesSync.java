package io.budgetctl.lifecycle.licence;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code budgetctl modules sync}: the customer's signed licence from the portal, verified against the trusted keys
 * of the deployments repository ({@code licences/keys/*.pub}), compared with the client file's effective
 * {@code modules} and {@code limits}; unless checking, the client file is edited in place ({@link ClientFileEdit})
 * and the licence written to {@code licences/<client>.json} with the key that verified it as
 * {@code licences/<client>.pub}, where the inventory points deploy's {@code itbm_licence_file} and
 * {@code itbm_licence_pubkey}. The server gets them at the next deploy. Any refusal leaves every file unchanged.
 */
public final class ModulesSync {
    public static final String LICENCES = "licences";

    private ModulesSync() {
    }

    /**
     * @param operator who runs it (sent to the portal as X-Portal-Actor), may be null
     * @param today    the date expiry is checked against
     */
    public record Request(DeploymentsRepository repo, String client, boolean check, Map<String, String> env,
                          String operator, LocalDate today, Duration timeout, Path fromFile) {
        /** From the portal. */
        public Request(DeploymentsRepository repo, String client, boolean check, Map<String, String> env,
                       String operator, LocalDate today, Duration timeout) {
            this(repo, client, check, env, operator, today, timeout, null);
        }
    }

    /** A licence file handed over by other means (an offline customer's controller): at most this many bytes. */
    static final int MAX_FILE = 256 * 1024;

    /** A limit whose value changes; null for absent. */
    public record LimitChange(String name, Long from, Long to) {
    }

    public record Result(String client, SignedLicence licence, String keySource, List<String> added,
                         List<String> removed, List<LimitChange> limits, boolean check, Path clientFile,
                         boolean clientFileChanged, Path licenceFile, boolean licenceFileChanged) {
        /** True when nothing differs: modules, limits and the licence file. */
        public boolean inSync() {
            return added.isEmpty() && removed.isEmpty() && limits.isEmpty() && !licenceFileChanged;
        }
    }

    public static Result run(Request q) {
        Path root = q.repo().root();
        Path clientFile = clientFile(root, q.client());
        List<SignedLicence.TrustedKey> keys = trustedKeys(root);
        byte[] file;
        String source;
        String what;
        if (q.fromFile() != null) {
            file = licenceFromFile(q.fromFile());
            source = q.fromFile().toString();
            what = "the licence in " + q.fromFile().getFileName();
        } else {
            PortalSettings settings = PortalSettings.load(root, q.env());
            file = new PortalClient(settings, q.timeout()).licenceFile(q.client(), q.operator());
            source = settings.url() + "/api/v1/customers/" + q.client() + "/licence";
            what = "the portal's licence";
        }
        SignedLicence.Verified v = SignedLicence.verify(source, file, keys);
        SignedLicence l = v.licence();
        Map<String, Object> client = q.repo().mergedClient(q.client());
        SourceLocation at = SourceLocation.of(clientFile.toString());
        if (!l.customer().equals(q.client())) {
            throw new EngineException(SourceLocation.of(source), what + " " + l.licenceId() + " is for"
                    + " customer '" + l.customer() + "', not '" + q.client() + "'", "nothing was changed; check the"
                    + " customer id on the portal");
        }
        Object wantedId = client.get("licence");
        if (!l.licenceId().equals(String.valueOf(wantedId))) {
            throw new EngineException(at, "the client file names licence " + wantedId + " but " + what
                    + " for '" + q.client() + "' is " + l.licenceId(), "nothing was changed; correct 'licence:' in"
                    + " the client file if the portal is right");
        }
        if (q.today().isAfter(l.expires())) {
            throw new EngineException(SourceLocation.of(source), "licence " + l.licenceId() + " expired on "
                    + l.expires(), "nothing was changed; renew it on the portal first");
        }
        List<String> current = strings(client.get("modules"));
        List<String> added = new ArrayList<>(new TreeSet<>(l.modules()));
        added.removeAll(current);
        List<String> removed = new ArrayList<>(current);
        removed.removeAll(l.modules());
        Map<String, Long> currentLimits = longs(client.get("limits"));
        List<LimitChange> limitChanges = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(currentLimits.keySet());
        names.addAll(l.limits().keySet());
        for (String n : names) {
            Long from = currentLimits.get(n);
            Long to = l.limits().get(n);
            if (from == null ? to != null : !from.equals(to)) {
                limitChanges.add(new LimitChange(n, from, to));
            }
        }
        Path licenceFile = root.resolve(LICENCES).resolve(q.client() + ".json");
        Path pubFile = root.resolve(LICENCES).resolve(q.client() + ".pub");
        boolean licenceChanged = !sameBytes(licenceFile, file) || !sameBytes(pubFile, pubBytes(v.key()));
        boolean clientChanged = !added.isEmpty() || !removed.isEmpty() || !limitChanges.isEmpty();
        String edited = null;
        if (clientChanged) {
            // edited (and checked) even under --check, so --check also says whether the edit can be made
            String text = read(clientFile);
            edited = ClientFileEdit.apply(clientFile.toString(), text, l.modules(),
                    fileLimits(l.limits(), currentLimits, ClientFileEdit.load(clientFile.toString(), text)));
        }
        if (!q.check()) {
            if (edited != null) {
                write(clientFile, edited.getBytes(StandardCharsets.UTF_8));
            }
            if (licenceChanged) {
                write(licenceFile, file);
                write(pubFile, pubBytes(v.key()));
            }
        }
        return new Result(q.client(), l, v.key().source(), added, removed, limitChanges, q.check(), clientFile,
                clientChanged, licenceFile, licenceChanged);
    }

    /** The bytes of a licence file given with --from-file: a regular file of at most {@link #MAX_FILE} bytes. */
    static byte[] licenceFromFile(Path f) {
        SourceLocation where = SourceLocation.of(f.toString());
        if (!Files.isRegularFile(f)) {
            throw new EngineException(where, "no licence file " + f, "give the path of the signed licence file the"
                    + " vendor sent (a .json with payload, signature, key_id)");
        }
        try {
            if (Files.size(f) > MAX_FILE) {
                throw new EngineException(where, f + " is larger than a licence file can be", "is it the right file?");
            }
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new EngineException(where, "cannot read " + f + ": " + e.getMessage(), null);
        }
    }

    /** The trusted public keys: {@code licences/keys/*.pub} of the repository. */
    public static List<SignedLicence.TrustedKey> trustedKeys(Path root) {
        Path dir = root.resolve(LICENCES).resolve("keys");
        List<SignedLicence.TrustedKey> keys = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".pub")).sorted().toList()) {
                    keys.add(SignedLicence.trustedKey(root.relativize(p).toString(), read(p)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (keys.isEmpty()) {
            throw new EngineException(SourceLocation.of(dir.toString()), "no trusted licence keys",
                    "put the portal's public key(s) in licences/keys/<name>.pub (GET /api/v1/keys on the portal;"
                            + " compare the key id with the portal's operator before trusting it)");
        }
        return keys;
    }

    private static Path clientFile(Path root, String client) {
        for (String ext : List.of(".yaml", ".yml")) {
            Path p = root.resolve("clients").resolve(client + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new EngineException(SourceLocation.of(root.resolve("clients").toString()), "no client file for '"
                + client + "'", "clients/" + client + ".yaml");
    }

    private static byte[] pubBytes(SignedLicence.TrustedKey k) {
        return (k.base64() + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /** The limits in force: numbers only (a limit set to null in the client file is no limit). */
    private static Map<String, Long> longs(Object o) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.longValue());
                }
            });
        }
        return out;
    }

    /**
     * What the client file's {@code limits} must say so that the limits in force are the licence's: the licence's
     * limits, plus {@code NAME: null} for each limit the client file inherits from its environment's defaults and
     * the licence does not have (deleting a line the file never had would leave the inherited limit in force).
     */
    static Map<String, Long> fileLimits(Map<String, Long> licence, Map<String, Long> inForce, Map<String, Object> own) {
        Map<String, Long> out = new LinkedHashMap<>(licence);
        Object ownLimits = own.get("limits");
        for (String name : inForce.keySet()) {
            boolean inherited = !(ownLimits instanceof Map<?, ?> m && m.containsKey(name));
            if (inherited && !licence.containsKey(name)) {
                out.put(name, null);
            }
        }
        return out;
    }

    private static boolean sameBytes(Path p, byte[] content) {
        try {
            return Files.isRegularFile(p) && Arrays.equals(Files.readAllBytes(p), content);
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(p.toString()), "cannot read: " + e.getMessage(), null);
        }
    }

    /** Write to a temporary file beside the target, then rename over it: a reader sees the old or the new file. */
    private static void write(Path target, byte[] content) {
        try {
            Files.createDirectories(target.getParent());
            RepoFiles.replace(target, content);
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(target.toString()), "cannot write: " + e.getMessage(), null);
        }
    }
}
