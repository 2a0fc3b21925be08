package io.budgetctl.modules.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleBase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code uri}: an HTTP request made FROM THE TARGET HOST (as Ansible does), with {@code curl}. Every option,
 * including credentials and the body, goes to curl as a config file on stdin ({@code curl -K -}), so nothing the
 * user wrote is ever part of a command line or visible in the host's process list; the argv is a fixed script.
 * Needs {@code curl} and {@code base64} on the host (curl is not in a minimal Debian: install it first).
 *
 * <p>Check mode: not supported, like Ansible 2.14's uri (even a GET may have side effects on the server); the
 * executor skips the task visibly.
 */
public final class UriModule extends ModuleBase {
    static final String BODY_MARK = "--budgetctl-body--";
    static final String EXIT_MARK = "--budgetctl-curl-exit:";

    /**
     * Runs curl with the config from stdin, keeps headers and body in a private temporary directory, then prints:
     * the write-out line, the curl exit marker, the raw header blocks, the body marker and the body in base64.
     */
    static final String CURL_SCRIPT = """
            command -v curl >/dev/null 2>&1 || { echo "curl is not installed on this host" >&2; exit 91; }
            d=$(mktemp -d) || exit 90
            trap 'rm -rf "$d"' EXIT
            curl -K - -sS -D "$d/h" -o "$d/b" -w '%{http_code} %{num_redirects} %{url_effective}\\n'
            rc=$?
            printf '%s%s\\n' "$1" "$rc"
            cat "$d/h" 2>/dev/null
            printf '\\n%s\\n' "$2"
            if [ -f "$d/b" ]; then base64 -w0 "$d/b"; fi
            exit 0
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("url", Arg.required("str"))
            .arg("method", Arg.of("str").withDefault("GET"))
            .arg("body", Arg.of("raw"))
            .arg("body_format", Arg.of("str").withDefault("raw").withChoices("raw", "json", "form-urlencoded"))
            .arg("headers", Arg.of("dict"))
            .arg("status_code", Arg.of("list").withElements("int").withDefault(List.of(200)))
            .arg("return_content", Arg.of("bool").withDefault(false))
            .arg("timeout", Arg.of("int").withDefault(30))
            .arg("validate_certs", Arg.of("bool").withDefault(true))
            .arg("ca_path", Arg.of("path"))
            .arg("client_cert", Arg.of("path"))
            .arg("client_key", Arg.of("path"))
            .arg("url_username", Arg.of("str").withAliases("user"))
            .arg("url_password", Arg.of("str").withAliases("password"))
            .arg("force_basic_auth", Arg.of("bool").withDefault(false))
            .arg("follow_redirects", Arg.of("str").withDefault("safe")
                    .withChoices("all", "none", "safe", "urllib2", "yes", "no"))
            .build();

    /** Everything the request needs, already checked. */
    record Request(String url, String method, String body, Map<String, String> headers, List<Integer> statusCodes,
                   boolean returnContent, int timeout, boolean validateCerts, String caPath, String clientCert,
                   String clientKey, String user, String password, boolean forceBasicAuth, boolean follow) {
    }

    public UriModule() {
        super("uri", SPEC, CheckMode.NONE);
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        Request req = request(args);
        long t0 = System.nanoTime();
        ExecResult r = ctx.exec(new ExecRequest(List.of("/bin/sh", "-c", CURL_SCRIPT, "uri", EXIT_MARK, BODY_MARK),
                curlConfig(req).getBytes(StandardCharsets.UTF_8), null, null, null,
                Duration.ofSeconds(req.timeout() + 15L)));
        int elapsed = (int) ((System.nanoTime() - t0) / 1_000_000_000L);
        if (r.exitCode() == 91) {
            return Result.failed("the uri module needs curl on " + ctx.host()
                    + ", which is not installed; install it first (apt: name=curl)");
        }
        if (r.exitCode() != 0) {
            return Result.failed("could not run curl on " + ctx.host() + " (exit " + r.exitCode() + "): "
                    + r.stderr().strip());
        }
        return toResult(req, CurlResponse.parse(r.stdout()), r.stderr(), elapsed);
    }

    static Request request(Args args) {
        String url = args.str("url");
        if (url == null || url.isBlank()) {
            throw new BadArgument("missing required argument 'url'");
        }
        String method = args.str("method").toUpperCase(Locale.ROOT);
        if (!method.matches("[A-Z]+")) {
            throw new BadArgument("invalid HTTP method: " + method);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Map<?, ?> given = args.dict("headers"); // YAML may give a name that is a number
        given.forEach((k, v) -> headers.put(String.valueOf(k), v instanceof Secret s ? s.reveal() : String.valueOf(v)));
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (!e.getKey().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || e.getValue().matches("(?s).*[\r\n].*")) {
                throw new BadArgument("invalid HTTP header '" + e.getKey() + "': names are tokens and values "
                        + "must not contain line breaks");
            }
        }
        String body = body(args.raw("body"), args.str("body_format"), headers);
        String follow = args.str("follow_redirects");
        boolean follows = switch (follow) {
            case "none", "no" -> false;
            case "safe" -> method.equals("GET") || method.equals("HEAD");
            default -> true;
        };
        Object pw = args.raw("url_password");
        List<Integer> codes = args.list("status_code").stream().map(c -> ((Number) c).intValue()).toList();
        return new Request(url, method, body, headers, codes, args.bool("return_content"), args.integer("timeout", 30),
                args.bool("validate_certs"), args.str("ca_path"), args.str("client_cert"), args.str("client_key"),
                args.str("url_username"), pw == null ? null : pw instanceof Secret s ? s.reveal() : pw.toString(),
                args.bool("force_basic_auth"), follows);
    }

    private static String body(Object body, String format, Map<String, String> headers) {
        if (body == null) {
            return null;
        }
        String contentType = null;
        String text;
        switch (format) {
            case "json" -> {
                contentType = "application/json";
                try {
                    text = body instanceof String s ? s : JSON.writeValueAsString(body);
                } catch (JsonProcessingException e) {
                    throw new BadArgument("body cannot be written as JSON: " + e.getOriginalMessage());
                }
            }
            case "form-urlencoded" -> {
                contentType = "application/x-www-form-urlencoded";
                if (body instanceof Map<?, ?> m) {
                    StringJoiner j = new StringJoiner("&");
                    m.forEach((k, v) -> j.add(URLEncoder.encode(String.valueOf(k), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
                    text = j.toString();
                } else {
                    text = body.toString();
                }
            }
            default -> text = body instanceof Secret s ? s.reveal() : body.toString();
        }
        boolean hasType = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Content-Type"));
        if (contentType != null && !hasType) {
            headers.put("Content-Type", contentType);
        }
        return text;
    }

    /** curl's config-file syntax for a double-quoted value. */
    static String curlQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The curl config sent on stdin: one option per line, every value quoted. */
    static String curlConfig(Request r) {
        StringBuilder c = new StringBuilder();
        c.append("url = ").append(curlQuote(r.url())).append('\n');
        if (r.method().equals("HEAD")) {
            c.append("head\n");
        } else if (!r.method().equals("GET") || r.body() != null) {
            c.append("request = ").append(curlQuote(r.method())).append('\n');
        }
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            c.append("header = ").append(curlQuote(h.getKey() + ": " + h.getValue())).append('\n');
        }
        if (r.body() != null) {
            c.append("data-raw = ").append(curlQuote(r.body())).append('\n');
        }
        if (r.user() != null) {
            c.append("user = ").append(curlQuote(r.user() + ":" + (r.password() == null ? "" : r.password())))
                    .append('\n');
            c.append(r.forceBasicAuth() ? "basic\n" : "anyauth\n");
        }
        if (!r.validateCerts()) {
            c.append("insecure\n");
        }
        if (r.caPath() != null) {
            c.append("cacert = ").append(curlQuote(r.caPath())).append('\n');
        }
        if (r.clientCert() != null) {
            c.append("cert = ").append(curlQuote(r.clientCert())).append('\n');
        }
        if (r.clientKey() != null) {
            c.append("key = ").append(curlQuote(r.clientKey())).append('\n');
        }
        if (r.follow()) {
            c.append("location\nmax-redirs = 50\n");
        }
        c.append("max-time = ").append(r.timeout()).append('\n');
        return c.toString();
    }

    /** What the script printed, taken apart. {@code status} is 0 when no response arrived. */
    record CurlResponse(int curlExit, int status, String reason, int redirects, String effectiveUrl,
                        Map<String, String> headers, List<String> cookies, byte[] body) {

        static CurlResponse parse(String out) {
            int exitAt = out.indexOf(UriModule.EXIT_MARK);
            int bodyAt = out.lastIndexOf("\n" + UriModule.BODY_MARK + "\n");
            if (exitAt < 0 || bodyAt < 0) {
                throw new IllegalStateException("unexpected output from the uri script: " + out);
            }
            String[] w = out.substring(0, exitAt).strip().split(" ", 3);
            int lineEnd = out.indexOf('\n', exitAt);
            int curlExit = Integer.parseInt(out.substring(exitAt + UriModule.EXIT_MARK.length(), lineEnd).strip());
            String rawHeaders = out.substring(lineEnd + 1, bodyAt);
            byte[] body = Base64.getDecoder().decode(out.substring(bodyAt + UriModule.BODY_MARK.length() + 2).strip());
            // curl writes one block per response (redirects, 100 Continue): the last one is the answer
            String last = "";
            for (String block : rawHeaders.replace("\r\n", "\n").split("\n\n")) {
                if (block.startsWith("HTTP/")) {
                    last = block;
                }
            }
            String reason = "";
            Map<String, String> headers = new LinkedHashMap<>();
            List<String> cookies = new ArrayList<>();
            String[] lines = last.split("\n");
            if (!last.isEmpty()) {
                String[] status = lines[0].split(" ", 3);
                reason = status.length > 2 ? status[2].strip() : "";
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String key = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT).replace('-', '_');
                    String value = lines[i].substring(colon + 1).strip();
                    if (key.equals("set_cookie")) {
                        cookies.add(value);
                    }
                    headers.merge(key, value, (a, b) -> a + ", " + b);
                }
            }
            int code = w.length > 0 && !w[0].isEmpty() ? Integer.parseInt(w[0]) : 0;
            return new CurlResponse(curlExit, code, reason, w.length > 1 ? Integer.parseInt(w[1]) : 0,
                    w.length > 2 ? w[2] : "", headers, cookies, body);
        }
    }

    static Result toResult(Request req, CurlResponse resp, String stderr, int elapsed) {
        Map<String, Object> data = new LinkedHashMap<>();
        boolean answered = resp.status() > 0;
        int status = answered ? resp.status() : -1;
        String info;
        if (!answered) {
            info = "Request failed: " + stderr.strip();
        } else if (status >= 400) {
            info = "HTTP Error " + status + ": " + resp.reason();
        } else {
            info = "OK (" + resp.headers().getOrDefault("content_length", "unknown") + " bytes)";
        }
        if (answered) {
            data.putAll(resp.headers());
            Map<String, String> cookies = new LinkedHashMap<>();
            for (String c : resp.cookies()) {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
            data.put("cookies", cookies);
            data.put("cookies_string", String.join("; ", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        String url = resp.effectiveUrl().isEmpty() ? req.url() : resp.effectiveUrl();
        data.put("redirected", !url.equals(req.url()));
        data.put("elapsed", elapsed);
        data.put("status", status);
        data.put("url", url);
        String text = new String(resp.body(), StandardCharsets.UTF_8);
        String contentType = resp.headers().getOrDefault("content_type", "").toLowerCase(Locale.ROOT);
        if (answered && isJson(contentType) && !text.isEmpty()) {
            try {
                data.put("json", JSON.readValue(text, Object.class));
            } catch (JsonProcessingException e) {
                // not JSON after all: Ansible silently leaves 'json' out too
            }
        }
        boolean accepted = req.statusCodes().contains(status);
        if (!accepted) {
            String msg = "Status code was " + status + " and not " + pyList(req.statusCodes())
                    + ": " + info;
            data.put("msg", msg);
            if (req.returnContent()) {
                data.put("content", text);
            }
            return Result.failed(msg, data);
        }
        data.put("msg", info);
        if (req.returnContent()) {
            data.put("content", text);
        } else if (status >= 400) {
            data.put("body", text);
        }
        return new Result.Ok(info, data);
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip();
        int slash = type.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String sub = type.substring(slash + 1);
        if (sub.contains("+")) {
            sub = sub.substring(sub.indexOf('+') + 1);
        }
        return sub.equals("json") || sub.equals("javascript");
    }

    /** Python's repr of a list of ints: {@code [200, 201]}. */
    private static String pyList(List<Integer> xs) {
        return xs.toString();
    }
}
