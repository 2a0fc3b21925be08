package io.budgetctl.engine.template;

import com.hubspot.jinjava.lib.filter.Filter;
import io.budgetctl.engine.yaml.Yaml11Resolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Ansible's data and path filters beyond ListFilters, DictFilters and PathFilters: {@code from_yaml}/
 * {@code from_yaml_all} (YAML 1.1 as PyYAML reads it: {@code yes} is True), {@code extract}, {@code product},
 * {@code zip_longest}, {@code subelements}, {@code path_join}, {@code splitext}, {@code urlsplit},
 * {@code type_debug}. Each follows ansible-core 2.14's Python code; template/cases.yaml compares them with it.
 */
final class AnsibleDataFilters {
    private AnsibleDataFilters() {
    }

    static List<Filter> all() {
        List<Filter> f = new ArrayList<>();
        // Ansible parses only strings: anything else is handed back as it is
        f.add(Fn.filter("from_yaml", "", false, (v, a) -> v instanceof CharSequence ? fromYaml(Py.str(v), false) : v));
        f.add(Fn.filter("from_yaml_all", "", false, (v, a) -> v instanceof CharSequence ? fromYaml(Py.str(v), true)
                : v));
        f.add(Fn.filter("extract", "container, morekeys=None", false, (v, a) -> {
            List<Object> keys = new ArrayList<>();
            keys.add(v);
            Object more = a.get("morekeys");
            if (more instanceof List<?> l) {
                keys.addAll(l);
            } else if (more != null) {
                keys.add(more);
            }
            Object value = a.get("container");
            for (Object k : keys) {
                value = item(value, k);
            }
            return value;
        }));
        f.add(Fn.filter("product", "*iterables, repeat=1", false, (v, a) -> {
            List<List<Object>> pools = new ArrayList<>();
            pools.add(AnsibleFilters.list(v, "product"));
            for (Object o : a.rest()) {
                pools.add(AnsibleFilters.list(o, "product"));
            }
            long repeat = a.integer("repeat");
            List<List<Object>> all = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                all.addAll(pools);
            }
            List<List<Object>> result = new ArrayList<>();
            result.add(List.of());
            for (List<Object> pool : all) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> prefix : result) {
                    for (Object x : pool) {
                        List<Object> t = new ArrayList<>(prefix);
                        t.add(x);
                        next.add(t);
                    }
                }
                result = next;
            }
            List<Object> out = new ArrayList<>();
            for (List<Object> t : result) {
                out.add(PyTuple.of(t));
            }
            return out;
        }));
        f.add(Fn.filter("zip_longest", "*iterables, fillvalue=None", false, (v, a) -> {
            List<List<Object>> lists = new ArrayList<>();
            lists.add(AnsibleFilters.list(v, "zip_longest"));
            for (Object o : a.rest()) {
                lists.add(AnsibleFilters.list(o, "zip_longest"));
            }
            Object fill = a.get("fillvalue");
            int n = lists.stream().mapToInt(List::size).max().orElse(0);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Object[] t = new Object[lists.size()];
                for (int j = 0; j < t.length; j++) {
                    t[j] = i < lists.get(j).size() ? lists.get(j).get(i) : fill;
                }
                out.add(new PyTuple(t));
            }
            return out;
        }));
        f.add(Fn.filter("subelements", "subelements, skip_missing=False", false, (v, a) -> subelements(v,
                a.get("subelements"), a.bool("skip_missing"))));
        f.add(Fn.filter("path_join", "", false, (v, a) -> {
            List<Object> parts = v instanceof CharSequence ? List.of(v) : AnsibleFilters.list(v, "path_join");
            String out = "";
            for (int i = 0; i < parts.size(); i++) {
                String p = Py.str(parts.get(i));
                if (i == 0 || p.startsWith("/")) {
                    out = p;
                } else if (out.isEmpty() || out.endsWith("/")) {
                    out = out + p;
                } else {
                    out = out + "/" + p;
                }
            }
            return out;
        }));
        f.add(Fn.filter("relpath", "start=None", false, (v, a) -> {
            // os.path.relpath(path, start): both made absolute against the current directory, then '..' as needed
            Path path = Path.of(Py.str(v)).toAbsolutePath().normalize();
            Path start = Path.of(a.get("start") == null ? "." : a.str("start")).toAbsolutePath().normalize();
            String rel = start.relativize(path).toString();
            return rel.isEmpty() ? "." : rel;
        }));
        f.add(Fn.filter("splitext", "", false, (v, a) -> {
            String p = Py.str(v);
            int slash = p.lastIndexOf('/');
            int dot = p.lastIndexOf('.');
            if (dot > slash) {
                // leading dots of the file name do not start an extension (os.path.splitext('.bashrc'))
                int start = slash + 1;
                while (start < dot && p.charAt(start) == '.') {
                    start++;
                }
                if (start < dot) {
                    return new PyTuple(p.substring(0, dot), p.substring(dot));
                }
            }
            return new PyTuple(p, "");
        }));
        // alias: the name Ansible's messages call the filter by
        f.add(Fn.filter("urlsplit", "query='', alias='urlsplit'", false, (v, a) -> {
            Map<String, Object> parts = urlsplit(Py.str(v));
            String query = a.str("query");
            if (query.isEmpty()) {
                return parts;
            }
            if (!parts.containsKey(query)) {
                throw new TemplateFailure(a.str("alias") + ": unknown URL component: " + query,
                        "use one of fragment, hostname, netloc, password, path, port, query, scheme, username");
            }
            return parts.get(query);
        }));
        f.add(Fn.filter("type_debug", "", false, (v, a) -> Py.typeName(v)));
        return f;
    }

    private static Object fromYaml(String text, boolean all) {
        Load load = new Load(LoadSettings.builder().setSchema(Yaml11Resolver.schema()).setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(200).build());
        try {
            if (all) {
                List<Object> docs = new ArrayList<>();
                load.loadAllFromString(text).forEach(docs::add);
                return docs;
            }
            return load.loadFromString(text);
        } catch (YamlEngineException e) {
            throw new TemplateFailure("from_yaml: " + e.getMessage().lines().findFirst().orElse("invalid YAML"),
                    "the value is not valid YAML");
        }
    }

    /** Jinja2's environment.getitem: a key of a dict, an index of a list; Undefined when there is none. */
    private static Object item(Object container, Object key) {
        if (container instanceof Undefined u) {
            throw u.fail();
        }
        if (container instanceof Map<?, ?> m) {
            Object k = Py.findKey(m, key);
            return k == Py.NO_KEY ? Undefined.attribute(container, key) : m.get(k);
        }
        if (container instanceof List<?> l && Py.isIntegral(key) && !(key instanceof Boolean)) {
            int i = ((Number) key).intValue();
            if (i < 0) {
                i += l.size();
            }
            return i >= 0 && i < l.size() ? l.get(i) : Undefined.attribute(container, key);
        }
        return Undefined.attribute(container, key);
    }

    private static List<Object> subelements(Object obj, Object sub, boolean skipMissing) {
        List<Object> path;
        if (sub instanceof List<?> l) {
            path = new ArrayList<>(l);
        } else if (sub instanceof CharSequence) {
            path = new ArrayList<>(List.of(Py.str(sub).split("\\.", -1)));
        } else {
            throw new TemplateFailure("subelements must be a list or a string", null);
        }
        return subelements(obj, path, skipMissing, false);
    }

    /**
     * ansible-core's subelements lookup, which {@code with_subelements} asks: terms {@code [list or dict, 'key.path',
     * {skip_missing: bool}]}; one item {@code [parent, sub]} per element of the list at the path, the parent a copy
     * without the path's last key (the lookup pops it; the filter keeps it), a skipped registered result passed over.
     */
    static List<Object> subelementsLookup(List<Object> terms) {
        String hint = "with_subelements: [list of dicts, 'key'] or [list, 'key', {skip_missing: true}]";
        if (terms.size() < 2 || terms.size() > 3 || !(terms.get(1) instanceof CharSequence path)) {
            throw new TemplateFailure("subelements lookup expects a list of two or three items, first a dict or a"
                    + " list, second a string pointing to the subkey", hint);
        }
        boolean skipMissing = false;
        if (terms.size() == 3) {
            if (!(terms.get(2) instanceof Map<?, ?> flags) || !flags.keySet().stream().allMatch("skip_missing"::equals)) {
                throw new TemplateFailure("the optional third item must be a dict with flags {'skip_missing': True}",
                        hint);
            }
            skipMissing = Py.truth(flags.get("skip_missing") == null ? false : flags.get("skip_missing"));
        }
        return subelements(terms.get(0), new ArrayList<>(List.of(Py.str(path).split("\\.", -1))), skipMissing, true);
    }

    /** The filter's and the lookup's walk: {@code lookup} pops the last key from a copy and skips skipped results. */
    @SuppressWarnings("unchecked")
    private static List<Object> subelements(Object obj, List<Object> path, boolean skipMissing, boolean lookup) {
        List<Object> elements;
        if (obj instanceof Map<?, ?> m) {
            elements = new ArrayList<>(m.values());
        } else if (obj instanceof List<?> l) {
            elements = new ArrayList<>(l);
        } else {
            throw new TemplateFailure("obj must be a list of dicts or a nested dict", null);
        }
        List<Object> out = new ArrayList<>();
        for (Object element : elements) {
            if (lookup && element instanceof Map<?, ?> e && Boolean.TRUE.equals(e.get("skipped"))) {
                continue; // a skipped registered result, as the lookup does
            }
            Object parent = lookup && element instanceof Map<?, ?> e ? deepCopy((Map<Object, Object>) e) : element;
            Object values = parent;
            Map<?, ?> holder = null;
            Object last = null;
            for (Object key : path) {
                if (!(values instanceof Map<?, ?> m)) {
                    throw new TemplateFailure("the key " + Py.str(key) + " should point to a dictionary, got '"
                            + Py.str(values) + "'", null);
                }
                Object k = Py.findKey(m, key);
                if (k == Py.NO_KEY) {
                    if (skipMissing) {
                        values = List.of();
                        holder = null;
                        break;
                    }
                    throw new TemplateFailure("could not find " + Py.repr(key) + " key in iterated item "
                            + Py.repr(values), "add skip_missing=True to skip items without it");
                }
                holder = m;
                last = k;
                values = m.get(k);
            }
            if (!(values instanceof List<?> vl)) {
                throw new TemplateFailure("the key " + Py.repr(path.get(path.size() - 1)) + " should point to a list, got "
                        + Py.repr(values), null);
            }
            if (lookup && holder != null) {
                holder.remove(last);
            }
            for (Object value : vl) {
                out.add(lookup ? List.of(parent, value) : new PyTuple(element, value));
            }
        }
        return out;
    }

    /** A dict with its dicts copied: the lookup pops a key from the item it hands on, not from the variable. */
    @SuppressWarnings("unchecked")
    private static Map<Object, Object> deepCopy(Map<Object, Object> m) {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? deepCopy((Map<Object, Object>) inner) : v));
        return out;
    }

    private static final Pattern NETLOC = Pattern.compile("^(?:(?<user>[^:@]*)(?::(?<pass>[^@]*))?@)?"
            + "(?<host>\\[[^\\]]*\\]|[^:]*)(?::(?<port>.*))?$");

    /** urllib.parse.urlsplit plus its hostname/port/username/password properties, as Ansible's urlsplit gives. */
    static Map<String, Object> urlsplit(String url) {
        String rest = url;
        String scheme = "";
        int colon = rest.indexOf(':');
        if (colon > 0 && rest.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            scheme = rest.substring(0, colon).toLowerCase(Locale.ROOT);
            rest = rest.substring(colon + 1);
        }
        String netloc = "";
        if (rest.startsWith("//")) {
            int end = rest.length();
            for (char c : new char[] {'/', '?', '#'}) {
                int at = rest.indexOf(c, 2);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            netloc = rest.substring(2, end);
            rest = rest.substring(end);
        }
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Object user = null;
        Object pass = null;
        Object host = null;
        Object port = null;
        Matcher m = NETLOC.matcher(netloc);
        if (!netloc.isEmpty() && m.matches()) {
            user = m.group("user");
            pass = m.group("pass");
            String h = m.group("host");
            if (h.startsWith("[")) {
                h = h.substring(1, h.length() - 1);
            }
            host = h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
            String p = m.group("port");
            if (p != null && !p.isEmpty()) {
                if (!p.matches("[0-9]+") || Long.parseLong(p) > 65535) {
                    throw new TemplateFailure("Port could not be cast to integer value as '" + p + "'",
                            "the URL's port must be a number from 0 to 65535");
                }
                port = Long.parseLong(p);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fragment", fragment);
        out.put("hostname", host);
        out.put("netloc", netloc);
        out.put("password", pass);
        out.put("path", rest);
        out.put("port", port);
        out.put("query", query);
        out.put("scheme", scheme);
        out.put("username", user);
        return Collections.unmodifiableMap(out);
    }
}
