package io.budgetctl.lifecycle;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import io.budgetctl.lifecycle.secrets.SecretResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A deployments repository that passed validation, with the inventory built from it: what every lifecycle command
 * needs before it contacts a host.
 *
 * <p>Validating and building the inventory reads and checks <em>every</em> customer's file, so a command over N
 * customers that runs the single-customer command N times (fleet status, fleet apply) did that work N times: O(N²),
 * about 45% of the CPU of {@code fleet status} over 60 customers (bench/fleet, docs/fleet.md "Scale"). {@link #open}
 * therefore remembers the result per repository directory, keyed by the SHA-256 of the contents of every file in
 * it: the same bytes are validated once per JVM, and any change to any file (an edited client file between two
 * customers of a rollout, a new access.yaml) is validated again before it is used, exactly as before. Files are
 * still read where they were (the merged configuration, the access policy): only the validation and the inventory
 * are shared, and the {@link Inventory} is immutable.
 *
 * @param repo      the repository
 * @param inventory its inventory (every customer's hosts and variables)
 */
public record ValidatedRepository(DeploymentsRepository repo, Inventory inventory) {
    /** Repositories remembered at once (a test JVM opens many throw-away ones; a controller one or two). */
    static final int REMEMBERED = 8;

    private static final Map<Path, Entry> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Entry> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Entry(String digest, Map<String, String> env, ValidatedRepository value) {
    }

    /**
     * The repository at {@code dir}, validated, with its inventory; reused while no file in it changed.
     *
     * @throws EngineException when it is not a repository or does not validate (as {@link RepositoryInventory#of})
     */
    public static ValidatedRepository open(Path dir) {
        return open(dir, Map.of(), null);
    }

    /**
     * As {@link #open(Path)}, with the inventory's secret references (a customer's {@code ssh.key}) resolved lazily by
     * the resolver {@code secrets} makes for the repository's root; {@code env} is the environment that resolver reads
     * (SOPS and Vault settings): a remembered inventory is reused only for the same environment, so a run with
     * another key never sees secrets resolved with the previous one.
     */
    public static ValidatedRepository open(Path dir, Map<String, String> env, Function<Path, SecretResolver> secrets) {
        DeploymentsRepository repo = DeploymentsRepository.open(dir);
        Path root = repo.root();
        String digest = digest(root);
        Map<String, String> key = secrets == null ? Map.of() : Map.copyOf(env);
        synchronized (CACHE) {
            Entry e = CACHE.get(root);
            if (e != null && e.digest().equals(digest) && e.env().equals(key)
                    && (secrets == null) == (e.env() == NO_SECRETS)) {
                return e.value();
            }
            // validated under the lock: parallel customers of one fleet command wait for one validation, not N
            ValidatedRepository v = new ValidatedRepository(repo, secrets == null ? RepositoryInventory.of(repo)
                    : RepositoryInventory.of(repo, secrets.apply(root)));
            CACHE.put(root, new Entry(digest, secrets == null ? NO_SECRETS : key, v));
            return v;
        }
    }

    /** The environment key of an inventory built without a resolver (never equal to a real environment). */
    private static final Map<String, String> NO_SECRETS = new java.util.HashMap<>();

    /** Forgets every remembered repository (tests that count validations). */
    static void forget() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }

    /**
     * SHA-256 over the relative path, length and bytes of every regular file under {@code root} (sorted, a {@code .git}
     * directory left out): anything validation may read, and nothing about when it was written.
     *
     * <p>Left out as well: what the controller itself writes while a fleet command runs, which validation never reads
     * and which other customers' workers change under this walk — audit logs ({@code *.log}, {@code *.log.head}) and
     * files being written ({@code *.tmp}, renamed into place when complete). A file that disappears between the
     * listing and its reading was such a file and is skipped, not reported as an unreadable repository (CI saw
     * {@code fleet status} over 60 customers fail one customer on {@code controller-audit.log.head.tmp}).
     */
    static String digest(Path root) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(root, new Listing(root, files));
            files.sort(null);
            for (Path f : files) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                md.update((root.relativize(f) + "\0" + bytes.length + "\0").getBytes(StandardCharsets.UTF_8));
                md.update(bytes);
            }
        } catch (IOException e) {
            throw new EngineException(SourceLocation.of(root.toString()), "cannot read the deployments repository: "
                    + e.getMessage(), "check that every file in it is readable");
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * Lists the regular files the digest reads. A file that goes between the directory listing and the reading of its
     * attributes (the audit head's {@code .tmp}, renamed into place by another customer's worker) is passed over: the
     * walk's default is to fail the whole digest with the vanished file's path, which is what CI saw.
     */
    static final class Listing extends SimpleFileVisitor<Path> {
        private final Path root;
        private final List<Path> files;

        Listing(Path root, List<Path> files) {
            this.root = root;
            this.files = files;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            return d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(root)
                    ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !writtenByTheController(f.getFileName().toString())) {
                files.add(f);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (e instanceof java.nio.file.NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }
    }

    /** Audit logs, their heads and files in the middle of being written: never read by validation. */
    static boolean writtenByTheController(String name) {
        return name.endsWith(".tmp") || name.endsWith(".log") || name.endsWith(".log.head");
    }
}
