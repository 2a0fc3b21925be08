package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.engine.template.JinjavaTemplater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the release's .env says for an external PostgreSQL and Redis (roles/compose-up/templates/env.j2, rendered
 * with the engine's templater as deploy renders it): host, port, database, user, TLS mode and CA file, Redis
 * database number. The services read exactly these (docs/configuration.md, "database" and "cache").
 */
class ExternalServicesEnvTest {

    static String render(Map<String, Object> client) throws Exception {
        Path template = LifecycleRolesIT.repo().resolve("roles/compose-up/templates/env.j2");
        Map<String, Object> vars = new HashMap<>();
        vars.put("client", "acme");
        vars.put("itbm_release", "v1.4.0-20250101T000000Z");
        vars.put("itbm_project", "itbm-acme");
        vars.put("itbm_version", "v1.4.0");
        vars.put("itbm_image_prefix", "itbm");
        vars.put("itbm_ingress_port", 443);
        vars.put("itbm_ingress_tls", "internal");
        vars.put("itbm_env_overrides", Map.of());
        vars.put("itbm_integration_env", Map.of()); // roles/compose-up/tasks/env.yml: none configured here
        vars.put("itbm_client", client);
        vars.put("itbm_bundled_db", !"external".equals(((Map<?, ?>) client.get("database")).get("mode")));
        vars.put("itbm_bundled_cache", !"external".equals(((Map<?, ?>) client.get("cache")).get("mode")));
        return JinjavaTemplater.create().renderText(Files.readString(template), vars,
                SourceLocation.of(template.toString()));
    }

    static List<String> lines(String env, String prefix) {
        return env.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void verifyFullWithCaFilesIsWhatTheServicesAreTold() throws Exception {
        String env = render(Map.of(
                "database", Map.of("mode", "external", "host", "pg.acme.internal", "port", 5433, "name", "budget",
                        "user", "itbm_app", "password", "sops:secrets/acme.sops.yaml#db_password",
                        "tls", Map.of("mode", "verify-full", "ca", "sops:secrets/acme.sops.yaml#db_ca")),
                "cache", Map.of("mode", "external", "host", "redis.acme.internal", "port", 6390, "db", 3,
                        "tls", Map.of("mode", "verify-full", "ca", "sops:secrets/acme.sops.yaml#redis_ca"))));
        assertThat(lines(env, "DATABASE_")).containsExactly(
                "DATABASE_URL=jdbc:postgresql://pg.acme.internal:5433/budget?sslmode=verify-full&sslrootcert=/run/secrets/db_ca",
                "DATABASE_USER=itbm_app");
        assertThat(lines(env, "REDIS_")).containsExactly("REDIS_URL=rediss://redis.acme.internal:6390/3",
                "REDIS_TLS_VERIFY=full", "REDIS_CA_FILE=/run/secrets/redis_ca");
        assertThat(lines(env, "COMPOSE_PROFILES=")).containsExactly("COMPOSE_PROFILES=");
        assertThat(env).doesNotContain("sops:");
    }

    @Test
    void requireEncryptsWithoutVerifyingAndVerifyFullWithoutCaUsesTheTrustedCas() throws Exception {
        String env = render(Map.of(
                "database", Map.of("mode", "external", "host", "pg", "name", "itbm", "user", "itbm",
                        "password", "sops:s.yaml#p", "tls", Map.of("mode", "verify-full")),
                "cache", Map.of("mode", "external", "host", "r", "tls", Map.of("mode", "require"))));
        assertThat(lines(env, "DATABASE_URL=")).containsExactly("DATABASE_URL=jdbc:postgresql://pg:5432/itbm"
                + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
        assertThat(lines(env, "REDIS_")).containsExactly("REDIS_URL=rediss://r:6379/0", "REDIS_TLS_VERIFY=none");
        String require = render(Map.of(
                "database", Map.of("mode", "external", "host", "pg", "name", "itbm", "user", "itbm",
                        "password", "sops:s.yaml#p", "tls", Map.of("mode", "require")),
                "cache", Map.of("mode", "bundled")));
        assertThat(lines(require, "DATABASE_URL=")).containsExactly("DATABASE_URL=jdbc:postgresql://pg:5432/itbm?sslmode=require");
        assertThat(lines(require, "REDIS_")).isEmpty();
        assertThat(lines(require, "COMPOSE_PROFILES=")).containsExactly("COMPOSE_PROFILES=redis");
    }

    @Test
    void withoutTlsSettingsTheDriversDefaultsStayAndDisableSaysSo() throws Exception {
        String none = render(Map.of(
                "database", Map.of("mode", "external", "host", "pg", "name", "itbm", "user", "itbm", "password", "x"),
                "cache", Map.of("mode", "external", "host", "r", "port", 6380)));
        assertThat(lines(none, "DATABASE_URL=")).containsExactly("DATABASE_URL=jdbc:postgresql://pg:5432/itbm");
        assertThat(lines(none, "REDIS_")).containsExactly("REDIS_URL=redis://r:6380/0");
        String disable = render(Map.of(
                "database", Map.of("mode", "external", "host", "pg", "name", "itbm", "user", "itbm", "password", "x",
                        "tls", Map.of("mode", "disable")),
                "cache", Map.of("mode", "external", "host", "r", "tls", Map.of("mode", "disable"))));
        assertThat(lines(disable, "DATABASE_URL=")).containsExactly("DATABASE_URL=jdbc:postgresql://pg:5432/itbm?sslmode=disable");
        assertThat(lines(disable, "REDIS_")).containsExactly("REDIS_URL=redis://r:6379/0");
        String bundled = render(Map.of("database", Map.of("mode", "bundled"), "cache", Map.of("mode", "bundled")));
        assertThat(lines(bundled, "DATABASE_")).isEmpty();
        assertThat(lines(bundled, "COMPOSE_PROFILES=")).containsExactly("COMPOSE_PROFILES=postgres,redis");
    }

    @Test
    void everyExternalDatabaseAndCacheFieldHasItsPlaceInTheConfigurationDocs() throws Exception {
        Path root = LifecycleRolesIT.repo();
        com.fasterxml.jackson.databind.JsonNode defs = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(root.resolve("schemas/client.schema.json").toFile()).get("$defs");
        String doc = Files.readString(root.resolve("docs/configuration.md"));
        int from = doc.indexOf("### Where database and cache settings end up");
        assertThat(from).as("docs/configuration.md has the section").isPositive();
        String section = doc.substring(from, doc.indexOf("\n### ", from + 1));
        List<String> missing = new java.util.ArrayList<>();
        for (String part : List.of("database", "cache")) {
            for (com.fasterxml.jackson.databind.JsonNode branch : defs.get(part).get("allOf")) {
                if (!"external".equals(branch.at("/then/properties/mode/const").asText())) {
                    continue;
                }
                branch.at("/then/properties").fieldNames().forEachRemaining(k -> {
                    if (k.equals("tls")) {
                        defs.get("tls").get("properties").fieldNames().forEachRemaining(t -> {
                            if (!section.contains("`" + part + ".tls." + t + "`")) {
                                missing.add(part + ".tls." + t);
                            }
                        });
                    } else if (!section.contains("`" + part + "." + k + "`") && !section.contains("`" + k + "`")) {
                        missing.add(part + "." + k);
                    }
                });
            }
        }
        assertThat(missing).as("fields of an external database/cache without a row saying where they end up").isEmpty();
    }

    /** The first {@code shell: |} block of a task file, as written (before templating). */
    static String shellBlock(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("shell: |")) {
                start = i + 1;
                break;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = start; i < lines.size() && (lines.get(i).startsWith("    ") || lines.get(i).isBlank()); i++) {
            b.append(lines.get(i).strip()).append('\n');
        }
        return b.toString();
    }

    @Test
    void theMigrateRoleReachesAnExternalDatabaseThroughTheOneShotAndTheBundledOneInItsContainer() throws Exception {
        Path tasks = LifecycleRolesIT.repo().resolve("roles/migrate/tasks");
        for (String file : List.of("backup.yml", "schema.yml", "restore.yml")) {
            String shell = shellBlock(tasks.resolve(file));
            Map<String, Object> vars = new HashMap<>();
            vars.put("itbm_dir", "/opt/itbm/acme");
            vars.put("itbm_release_dir", "/opt/itbm/acme/releases/v1.4.0-x");
            vars.put("itbm_prev_version", "v1.3.2");
            vars.put("itbm_release", "v1.4.0-x");
            vars.put("itbm_compose", "docker-compose");
            vars.put("itbm_project", "itbm-acme");
            vars.put("itbm_extdb_image", "itbm/postgres:v1.4.0");
            vars.put("itbm_restore_file", "/opt/itbm/acme/backups/v1.3.2-to-v1.4.0-x.dump");
            vars.put("itbm_restore_dir", "/opt/itbm/acme/releases/v1.3.2-y");
            vars.put("itbm_bundled_db", false);
            JinjavaTemplater t = JinjavaTemplater.create();
            String external = t.renderText(shell, vars, SourceLocation.of(file));
            vars.put("itbm_bundled_db", true);
            String bundled = t.renderText(shell, vars, SourceLocation.of(file));
            assertThat(external).as(file).contains("bash -c \"$ITBM_EXTDB\" extdb.sh ")
                    .contains("itbm/postgres:v1.4.0").doesNotContain("exec -T postgres");
            assertThat(bundled).as(file).contains("exec -T postgres").doesNotContain("extdb.sh");
        }
    }
}
