package io.budgetctl.lifecycle.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.budgetctl.engine.module.Levenshtein;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema (draft 2020-12) validation of repository files with networknt's json-schema-validator, the schemas read
 * from the jar (copied there from {@code schemas/} at build time). Each library error becomes a {@link RepoError} with
 * the file position of the offending value (or key, for unknown keys), a message written for people, and a hint taken
 * from the schema's own description and examples.
 */
final class SchemaCheck {
    static final String BASE = "https://budgetctl.io/schemas/";
    static final List<String> NAMES = List.of("client.schema.json", "environment.schema.json",
            "access.schema.json", "releases.schema.json", "secret-ref.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, JsonNode> trees = new LinkedHashMap<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();

    SchemaCheck() {
        for (String name : NAMES) {
            String text = resource(name);
            sources.put(BASE + name, text);
            try {
                trees.put(BASE + name, JSON.readTree(text));
            } catch (IOException e) {
                throw new IllegalStateException("bundled schema " + name + " is not JSON", e);
            }
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(sources));
        for (String name : NAMES) {
            schemas.put(name, registry.getSchema(SchemaLocation.of(BASE + name)));
        }
    }

    /** The bundled text of a schema file, as in {@code schemas/}. */
    static String resource(String name) {
        try (InputStream in = SchemaCheck.class.getResourceAsStream("schemas/" + name)) {
            if (in == null) {
                throw new IllegalStateException("schema " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The errors of {@code doc} against schema {@code name}, sorted by position. */
    List<RepoError> check(String name, YamlDoc doc) {
        JsonNode instance = JSON.valueToTree(doc.value());
        List<Error> found = schemas.get(name).validate(instance);
        List<RepoError> out = new ArrayList<>();
        for (Error e : found) {
            RepoError r = describe(e, doc);
            if (r != null && !out.contains(r)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingInt((RepoError r) -> r.location().line())
                .thenComparingInt(r -> r.location().column()).thenComparing(RepoError::pointer)
                .thenComparing(RepoError::message));
        return out;
    }

    private RepoError describe(Error e, YamlDoc doc) {
        String pointer = pointer(e.getInstanceLocation());
        Object actual = doc.get(pointer);
        JsonNode where = schemaAt(e, false);
        JsonNode kw = schemaAt(e, true);
        String hint = hint(where);
        switch (e.getKeyword()) {
            case "additionalProperties", "unevaluatedProperties" -> {
                String key = e.getProperty();
                String p = pointer + "/" + YamlDoc.escape(key);
                List<String> allowed = new ArrayList<>();
                if (where != null && where.has("properties")) {
                    where.get("properties").fieldNames().forEachRemaining(allowed::add);
                }
                String near = nearest(key, allowed);
                String h = (near == null ? "" : "did you mean '" + near + "'? ")
                        + (allowed.isEmpty() ? "remove it" : "allowed here: " + String.join(", ", allowed));
                return new RepoError(doc.keyAt(p), p, "unknown key '" + key + "'", h);
            }
            case "required" -> {
                String key = e.getProperty();
                JsonNode prop = where == null ? null : where.path("properties").path(key);
                String h = prop == null ? null : hint(resolve(prop));
                return new RepoError(doc.at(pointer), pointer, "missing required key '" + key + "'",
                        h == null ? "add '" + key + ":'" : "add '" + key + ":' - " + h);
            }
            case "type" -> {
                String expected = kw == null ? "?" : kw.isArray() ? join(kw) : kw.asText();
                String h = hint;
                if (actual instanceof Number && "string".equals(expected)) {
                    h = "quote the value (YAML reads 4 or 1.10 as a number); " + (hint == null ? "" : hint);
                }
                return new RepoError(doc.at(pointer), pointer, "expected " + article(expected) + ", found "
                        + kind(actual), h);
            }
            case "enum" -> {
                return new RepoError(doc.at(pointer), pointer, show(actual) + " is not one of: "
                        + (kw == null ? "?" : join(kw)), hint);
            }
            case "const" -> {
                return new RepoError(doc.at(pointer), pointer, show(actual) + " must be " + kw, hint);
            }
            case "pattern" -> {
                if (e.getSchemaLocation().toString().startsWith(BASE + "secret-ref.schema.json")) {
                    // a plain value where a reference belongs may be the secret itself: never echo it
                    return new RepoError(doc.at(pointer), pointer, "is not a secret reference (value not shown)",
                            "write sops:secrets/<file>.sops.yaml#<key> or vault:<kv path>#<field>, and keep the"
                            + " value itself in SOPS or Vault");
                }
                return new RepoError(doc.at(pointer), pointer, show(actual) + " is not in the expected form",
                        hint == null ? "it must match " + kw.asText() : hint);
            }
            case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                String word = e.getKeyword().contains("inimum") ? "below the minimum " : "above the maximum ";
                return new RepoError(doc.at(pointer), pointer, show(actual) + " is " + word + kw.asText(), hint);
            }
            case "minItems" -> {
                return new RepoError(doc.at(pointer), pointer, "needs at least " + kw.asText() + " item(s)", hint);
            }
            case "uniqueItems" -> {
                return new RepoError(doc.at(pointer), pointer, "lists an item twice", "remove the duplicate");
            }
            case "minLength" -> {
                return new RepoError(doc.at(pointer), pointer, "must not be empty", hint);
            }
            case "anyOf" -> {
                return new RepoError(doc.at(pointer), pointer, "needs one of: " + alternatives(kw), hint);
            }
            case "propertyNames" -> {
                return null; // the nested pattern error on the name says it better
            }
            default -> {
                return new RepoError(doc.at(pointer), pointer, e.getMessage(), hint);
            }
        }
    }

    /** JSON pointer of a library path, whatever notation the library uses for display. */
    static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            sb.append('/').append(YamlDoc.escape(String.valueOf(path.getElement(i))));
        }
        return sb.toString();
    }

    /** The schema object holding the failing keyword ({@code keyword=false}) or the keyword's value. */
    private JsonNode schemaAt(Error e, boolean keyword) {
        String loc = e.getSchemaLocation().toString();
        int hash = loc.indexOf('#');
        JsonNode node = trees.get(hash < 0 ? loc : loc.substring(0, hash));
        if (node == null || hash < 0) {
            return node;
        }
        String frag = loc.substring(hash + 1);
        List<String> parts = new ArrayList<>(List.of(frag.isEmpty() ? new String[0] : frag.substring(1).split("/")));
        if (!keyword && !parts.isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        for (String p : parts) {
            String tok = p.replace("~1", "/").replace("~0", "~");
            node = node.isArray() ? node.path(Integer.parseInt(tok)) : node.path(tok);
        }
        return node.isMissingNode() ? null : node;
    }

    /** Follows a local or cross-file {@code $ref} once, keeping a description written next to it. */
    private JsonNode resolve(JsonNode node) {
        if (node == null || !node.has("$ref") || node.has("description")) {
            return node;
        }
        String ref = node.get("$ref").asText();
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        JsonNode base = trees.get(BASE + (file.isEmpty() ? "client.schema.json" : file));
        if (base == null) {
            return node;
        }
        JsonNode target = base;
        if (hash >= 0 && hash + 1 < ref.length()) {
            target = base.at(ref.substring(hash + 1));
        }
        return target.isMissingNode() ? node : target;
    }

    private String hint(JsonNode schema) {
        JsonNode s = resolve(schema);
        if (s == null) {
            return null;
        }
        String d = s.path("description").asText(null);
        JsonNode ex = s.get("examples");
        if (ex != null && ex.isArray() && ex.size() > 0 && ex.get(0).isValueNode()) {
            String example = "e.g. " + ex.get(0).asText();
            return d == null ? example : d + " (" + example + ")";
        }
        return d;
    }

    private static String alternatives(JsonNode anyOf) {
        List<String> out = new ArrayList<>();
        if (anyOf != null) {
            for (JsonNode alt : anyOf) {
                JsonNode req = alt.path("required");
                out.add(req.isArray() ? "'" + join(req).replace(", ", "' and '") + "'" : alt.toString());
            }
        }
        return String.join(" or ", out);
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext();) {
            out.add(it.next().asText());
        }
        return String.join(", ", out);
    }

    static String nearest(String key, List<String> allowed) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = Levenshtein.distance(key.toLowerCase(java.util.Locale.ROOT), a);
            if (d < bestD) {
                bestD = d;
                best = a;
            }
        }
        return best != null && bestD <= Math.max(2, best.length() / 3) ? best : null;
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "integer" -> "an integer";
            case "string" -> "a string";
            case "boolean" -> "true or false";
            default -> type;
        };
    }

    static String kind(Object v) {
        if (v == null) {
            return "nothing (null)";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof Boolean) {
            return "the boolean " + v;
        }
        if (v instanceof Number) {
            return "the number " + v;
        }
        return "the string '" + v + "'";
    }

    static String show(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map || v instanceof List) {
            return kind(v);
        }
        return String.valueOf(v);
    }
}
