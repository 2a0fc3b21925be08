package io.budgetctl.modules.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.connection.ExecRequest;
import io.budgetctl.engine.connection.ExecResult;
import io.budgetctl.engine.module.ArgSpec;
import io.budgetctl.engine.module.Args;
import io.budgetctl.engine.module.ArgSpec.Arg;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleBase;
import io.budgetctl.modules.ModuleOutput;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code docker_login}: logs the host's Docker in to a registry ({@code state: present}) or out ({@code absent}).
 * The password goes to {@code docker login --password-stdin} on standard input, never on a command line, and never
 * into the result. {@code ca_cert} (PEM text) is installed as {@code /etc/docker/certs.d/<registry>/ca.crt}, which
 * the Docker engine trusts for that registry (writing it needs root: become).
 *
 * <p>Idempotent: when the user's Docker config ({@code $DOCKER_CONFIG} or {@code ~/.docker/config.json}) already holds
 * exactly these credentials for the registry, nothing runs ({@code reauthorize: true} logs in anyway, which also
 * proves the credentials). Check mode (partial): predicts from that config and the certificate file, but cannot
 * prove the credentials without logging in. A credential helper keeps no auth in config.json: then every run logs
 * in and reports changed.
 */
public final class DockerLoginModule extends ModuleBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** host[:port], as Docker keys its auths and certs.d directories. */
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?");
    static final String CONFIG_SCRIPT = "cat \"${DOCKER_CONFIG:-$HOME/.docker}/config.json\" 2>/dev/null || true";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg("registry", Arg.required("str").withAliases("registry_url"))
            .arg("username", Arg.of("str"))
            .arg("password", Arg.of("raw"))
            .arg("ca_cert", Arg.of("str"))
            .arg("state", Arg.of("str").withDefault("present").withChoices("present", "absent"))
            .arg("reauthorize", Arg.of("bool").withDefault(false))
            .build();

    public DockerLoginModule() {
        super("docker_login", SPEC, CheckMode.PARTIAL);
    }

    @Override
    public Set<String> aliases() {
        return Set.of("community.docker.docker_login");
    }

    @Override
    protected Result apply(ModuleContext ctx, Args args) {
        String registry = stripScheme(args.str("registry"));
        if (!REGISTRY.matcher(registry).matches()) {
            return Result.failed("registry must be host or host:port (e.g. registry.example.com:5000); got: "
                    + registry);
        }
        boolean present = "present".equals(args.str("state"));
        String user = args.str("username");
        String password = DockerSupport.reveal(args.raw("password"));
        boolean reauth = args.bool("reauthorize");
        if (present && (user == null || user.isBlank() || password == null || password.isEmpty())) {
            return Result.failed("state=present needs username and password (the password as a secret reference)");
        }
        Map<String, Object> data = ModuleOutput.map("registry", registry, "username", user);
        boolean changed = false;

        String ca = args.str("ca_cert");
        if (ca != null && present) {
            if (!ca.contains("-----BEGIN CERTIFICATE-----")) {
                return Result.failed("ca_cert must be PEM text (-----BEGIN CERTIFICATE----- ...), e.g. "
                        + "\"{{ lookup('file', 'ca.crt') }}\"");
            }
            String path = caPath(registry);
            byte[] want = (ca.endsWith("\n") ? ca : ca + "\n").getBytes(StandardCharsets.UTF_8);
            Optional<byte[]> have = ctx.connection().read(path, ctx.become());
            if (have.isEmpty() || !java.util.Arrays.equals(have.get(), want)) {
                if (!ctx.check()) {
                    ExecResult mk = ctx.exec(ExecRequest.of(mkdirArgv(registry).toArray(String[]::new)));
                    if (!mk.ok()) {
                        return Result.failed("cannot create " + path.substring(0, path.lastIndexOf('/')) + ": "
                                + DockerSupport.reason(mk) + " (installing a CA certificate needs become: true)");
                    }
                    ctx.connection().write(path, want, "0644", null, null, ctx.become());
                }
                changed = true;
            }
            data.put("ca_cert_path", path);
        }

        ExecResult cfg = ctx.exec(ExecRequest.of("/bin/sh", "-c", CONFIG_SCRIPT));
        String stored = storedAuth(cfg.stdout(), registry);
        if (present) {
            boolean current = auth(user, password).equals(stored);
            if (current && !reauth) {
                return Result.of(changed, data);
            }
            if (ctx.check()) {
                return Result.changed(data);
            }
            ExecResult r = ctx.exec(ExecRequest.of(loginArgv(registry, user).toArray(String[]::new))
                    .withStdin(password.getBytes(StandardCharsets.UTF_8)));
            if (!r.ok()) {
                data.put("rc", r.exitCode());
                return Result.failed("docker login to " + registry + " as " + user + " failed: "
                        + DockerSupport.reason(r) + hint(r), data);
            }
            return Result.of(changed || !current, data);
        }
        if (stored == null) {
            return Result.of(changed, data);
        }
        if (ctx.check()) {
            return Result.changed(data);
        }
        ExecResult r = ctx.exec(ExecRequest.of(logoutArgv(registry).toArray(String[]::new)));
        if (!r.ok()) {
            return Result.failed("docker logout " + registry + " failed: " + DockerSupport.reason(r), data);
        }
        return Result.changed(data);
    }

    private static String hint(ExecResult r) {
        String all = r.stderr() + r.stdout();
        if (all.contains("x509") || all.contains("certificate")) {
            return " (the engine does not trust the registry's certificate: pass ca_cert)";
        }
        if (all.contains("unauthorized") || all.contains("401")) {
            return " (wrong username or password)";
        }
        if (all.contains("connection refused") || all.contains("no such host") || all.contains("timeout")) {
            return " (the registry is not reachable from this host)";
        }
        return "";
    }

    static String stripScheme(String registry) {
        String r = registry.strip();
        for (String scheme : List.of("https://", "http://")) {
            if (r.startsWith(scheme)) {
                r = r.substring(scheme.length());
            }
        }
        return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
    }

    /** What docker stores in config.json for these credentials: base64 of {@code user:password}. */
    static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The auth stored for {@code registry} in a config.json text, or null (no file, no entry, a helper). */
    static String storedAuth(String configJson, String registry) {
        if (configJson == null || configJson.isBlank()) {
            return null;
        }
        try {
            JsonNode auths = JSON.readTree(configJson).path("auths");
            for (String key : List.of(registry, "https://" + registry, "http://" + registry)) {
                JsonNode a = auths.path(key).path("auth");
                if (a.isTextual()) {
                    return a.asText();
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String caPath(String registry) {
        return "/etc/docker/certs.d/" + registry + "/ca.crt";
    }

    static List<String> mkdirArgv(String registry) {
        return List.of("mkdir", "-p", "/etc/docker/certs.d/" + registry);
    }

    static List<String> loginArgv(String registry, String user) {
        return List.of("docker", "login", "--username", user, "--password-stdin", registry);
    }

    static List<String> logoutArgv(String registry) {
        return List.of("docker", "logout", registry);
    }
}
