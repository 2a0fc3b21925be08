package io.budgetctl.lifecycle.repo;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who can decrypt each SOPS file of the deployments repository, against who access.yaml allows to read it. The age
 * recipients of a file are read from its own SOPS metadata ({@code sops.age[].recipient} and
 * {@code sops.key_groups[].age[].recipient}; {@code sops_age__list_N__map_recipient} in a dotenv file) — what really
 * decides who can decrypt it, whatever .sops.yaml says now. The customers of a file are those whose configuration
 * refers to it ({@link #customersOf}). Two rules, each violation an error naming the file, the recipient and a hint:
 *
 * <ol>
 *   <li>every recipient belongs to an operator entry ({@code operators[].age}) whose grants allow
 *       {@code secrets-view} on every customer of the file;</li>
 *   <li>every operator with age keys who is allowed {@code secrets-view} on a customer of the file has one of those
 *       keys among its recipients.</li>
 * </ol>
 *
 * <p>PGP recipients and Vault references are not checked (Vault policies govern Vault). With Shamir key groups a
 * single recipient may not be able to decrypt alone; the check still counts every recipient (the safe direction).
 */
public final class SopsRecipients {
    private static final String ACTION = "secrets-view";
    private static final Pattern DOTENV_AGE = Pattern.compile("^sops_age__list_(\\d+)__map_recipient=(.*)$");

    private final DeploymentsRepository repo;

    public SopsRecipients(DeploymentsRepository repo) {
        this.repo = repo;
    }

    /** A recipient of a file, where its metadata names it. */
    private record Recipient(String key, SourceLocation at, String pointer) {
    }

    /**
     * Checks every SOPS file some customer in {@code selected} refers to, or that is under {@code secrets/} and
     * belongs to one of them.
     */
    public List<RepoError> check(AccessPolicy policy, Collection<String> selected) {
        List<RepoError> errors = new ArrayList<>();
        List<AccessPolicy.AgeHolder> holders = policy.ageHolders();
        for (String file : sopsFiles()) {
            List<String> customers = customersOf(repo, Path.of(file));
            if (customers.stream().noneMatch(selected::contains)) {
                continue;
            }
            List<Recipient> recipients;
            try {
                recipients = recipients(file);
            } catch (EngineException e) {
                errors.add(new RepoError(e.location(), "", e.getMessage(), e.hint()));
                continue;
            }
            if (recipients == null) {
                continue; // not encrypted with SOPS: the reference checks of validate say so where it matters
            }
            Set<String> keys = new LinkedHashSet<>();
            for (Recipient rcp : recipients) {
                keys.add(rcp.key());
                AccessPolicy.AgeHolder holder = holders.stream().filter(h -> h.recipients().contains(rcp.key()))
                        .findFirst().orElse(null);
                if (holder == null) {
                    errors.add(new RepoError(rcp.at(), rcp.pointer(), "age recipient " + rcp.key()
                            + " can decrypt the secrets of " + String.join(", ", customers)
                            + ", but no operator in access.yaml holds it",
                            "list it under 'age:' of the operator (or CI/team key) that holds it, with a grant of "
                                    + ACTION + "; or take it out of .sops.yaml's rule for " + file
                                    + " and run 'budgetctl secrets rotate " + file + "'"));
                    continue;
                }
                for (String c : customers) {
                    AccessDecision d = policy.decide(holder, ACTION, repo, c);
                    if (!d.allowed()) {
                        errors.add(new RepoError(rcp.at(), rcp.pointer(), "age recipient " + rcp.key() + " ("
                                + holder.name() + ") can decrypt the secrets of " + c + ", but access.yaml does not"
                                + " allow " + holder.name() + " " + ACTION + " on " + c + ": " + d.reason(),
                                "take the key out of .sops.yaml's rule for " + file + " and run 'budgetctl secrets"
                                        + " rotate " + file + "', or grant " + ACTION + " on " + c
                                        + " in access.yaml"));
                        break;
                    }
                }
            }
            YamlDoc meta = file.endsWith(".env") ? null : repo.read(file);
            SourceLocation at = meta != null ? meta.at("/sops") : SourceLocation.of(file);
            for (AccessPolicy.AgeHolder h : holders) {
                if (h.recipients().stream().anyMatch(keys::contains)) {
                    continue;
                }
                for (String c : customers) {
                    AccessDecision d = policy.decide(h, ACTION, repo, c);
                    if (d.allowed()) {
                        errors.add(new RepoError(at, "/sops", "access.yaml allows " + h.name() + " " + ACTION
                                + " on " + c + " (role " + d.role() + "), but none of their age keys ("
                                + String.join(", ", h.recipients()) + ") is a recipient of " + file,
                                "add their key to .sops.yaml's rule for " + file + " and run 'budgetctl secrets"
                                        + " rotate " + file + "' (with a key that can decrypt it), or narrow"
                                        + " their grant"));
                        break;
                    }
                }
            }
        }
        errors.sort(java.util.Comparator.comparing((RepoError e) -> e.location().file())
                .thenComparingInt(e -> e.location().line()).thenComparing(RepoError::message));
        return errors;
    }

    /** Every file a customer's configuration refers to with {@code sops:}, then the rest of {@code secrets/}. */
    private List<String> sopsFiles() {
        Set<String> out = new LinkedHashSet<>();
        for (String id : repo.clientIds()) {
            collectRefs(repo.mergedClient(id), out);
        }
        Path secrets = repo.root().resolve("secrets");
        if (Files.isDirectory(secrets)) {
            try (Stream<Path> s = Files.walk(secrets)) {
                s.filter(Files::isRegularFile).map(p -> repo.root().relativize(p).toString().replace('\\', '/'))
                        .filter(p -> p.matches(".*\\.(ya?ml|json|env)$")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new EngineException(SourceLocation.of("secrets"), "cannot list secrets/: " + e.getMessage(),
                        "check the directory's permissions");
            }
        }
        out.removeIf(f -> !repo.exists(f));
        return new ArrayList<>(out);
    }

    private static void collectRefs(Object value, Set<String> out) {
        if (value instanceof String s) {
            SecretRef ref = SecretRef.parse(s);
            if (ref != null && "sops".equals(ref.scheme())) {
                out.add(ref.path());
            }
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectRefs(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    /** The age recipients in the file's SOPS metadata; null when the file has no SOPS metadata. */
    private List<Recipient> recipients(String file) {
        List<Recipient> out = new ArrayList<>();
        if (file.endsWith(".env")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(repo.root().resolve(file));
            } catch (IOException e) {
                throw new EngineException(SourceLocation.of(file), "cannot read: " + e.getMessage(), null);
            }
            boolean sops = false;
            for (int i = 0; i < lines.size(); i++) {
                sops |= lines.get(i).startsWith("sops_");
                Matcher m = DOTENV_AGE.matcher(lines.get(i));
                if (m.matches()) {
                    out.add(new Recipient(m.group(2).trim(), new SourceLocation(file, i + 1, 1), ""));
                }
            }
            return sops ? out : null;
        }
        YamlDoc doc = repo.read(file);
        if (!(doc.get("/sops") instanceof Map<?, ?>)) {
            return null;
        }
        addAge(doc, "/sops/age", out);
        if (doc.get("/sops/key_groups") instanceof List<?> groups) {
            for (int g = 0; g < groups.size(); g++) {
                addAge(doc, "/sops/key_groups/" + g + "/age", out);
            }
        }
        return out;
    }

    private static void addAge(YamlDoc doc, String pointer, List<Recipient> out) {
        if (doc.get(pointer) instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String p = pointer + "/" + i + "/recipient";
                if (doc.get(p) != null) {
                    out.add(new Recipient(String.valueOf(doc.get(p)).trim(), doc.at(p), p));
                }
            }
        }
    }

    /**
     * The customers a secrets file belongs to: those whose merged configuration (client file or environment
     * defaults) refers to it; else the customer its name gives ({@code secrets/<id>.sops.yaml}); else every customer.
     */
    public static List<String> customersOf(DeploymentsRepository repo, Path rel) {
        String path = rel.toString().replace('\\', '/');
        List<String> out = new ArrayList<>();
        for (String id : repo.clientIds()) {
            Set<String> refs = new LinkedHashSet<>();
            collectRefs(repo.mergedClient(id), refs);
            if (refs.contains(path)) {
                out.add(id);
            }
        }
        if (out.isEmpty()) {
            String name = rel.getFileName().toString();
            String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            out.addAll(repo.clientIds().contains(id) ? List.of(id) : repo.clientIds());
        }
        return out;
    }
}
