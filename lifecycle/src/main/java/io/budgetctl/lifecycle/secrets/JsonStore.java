package io.budgetctl.lifecycle.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * SOPS' JSON flavour: one top-level object, key order kept, every number a float64 (sops decodes JSON numbers so,
 * which is what its MAC hashes), written tab-indented like Go's {@code json.Indent}.
 */
final class JsonStore implements SopsStore {
    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public List<Branch> loadPlain(String text, String label) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("sops only supports JSON files with a top-level object");
            }
            Branch b = readObject(p);
            return new ArrayList<>(List.of(b));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("JSON does not parse: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Branch readObject(JsonParser p) throws IOException {
        Branch b = new Branch();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            b.add(new TreeItem(key, readValue(p)));
        }
        return b;
    }

    private static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY:
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(readValue(p));
                }
                return l;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    @Override
    public Map<String, Object> extractMetadata(List<Branch> branches) {
        Branch b = branches.get(0);
        Object v = b.get("sops");
        b.remove("sops");
        if (v instanceof Branch mb) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Branch.toJava(mb);
            return m;
        }
        return null;
    }

    @Override
    public String emitPlain(List<Branch> branches) {
        StringBuilder sb = new StringBuilder();
        write(sb, branches.isEmpty() ? new Branch() : branches.get(0), 0);
        return sb.append('\n').toString();
    }

    @Override
    public String emitEncrypted(List<Branch> branches, SopsMetadata metadata) {
        Branch b = new Branch();
        if (!branches.isEmpty()) {
            b.addAll(branches.get(0));
        }
        b.add(new TreeItem("sops", Branch.fromJava(metadata.toMap())));
        return emitPlain(List.of(b));
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (v instanceof Branch b) {
            List<TreeItem> items = b.stream().filter(i -> !i.isComment()).toList();
            if (items.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            for (int i = 0; i < items.size(); i++) {
                indent(sb, depth + 1);
                string(sb, (String) items.get(i).key);
                sb.append(": ");
                write(sb, items.get(i).value, depth + 1);
                sb.append(i < items.size() - 1 ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (v instanceof List<?> l) {
            List<?> items = l.stream().filter(x -> !(x instanceof Comment)).toList();
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < items.size(); i++) {
                indent(sb, depth + 1);
                write(sb, items.get(i), depth + 1);
                sb.append(i < items.size() - 1 ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append(']');
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException("JSON cannot hold " + d);
            }
            double a = Math.abs(d);
            sb.append(a != 0 && (a < 1e-6 || a >= 1e21) ? Double.toString(d) : SopsCipher.goFormatFloat(d));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof byte[] bytes) {
            string(sb, Base64.getEncoder().encodeToString(bytes));
        } else {
            string(sb, String.valueOf(v));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("\t".repeat(depth));
    }
}
