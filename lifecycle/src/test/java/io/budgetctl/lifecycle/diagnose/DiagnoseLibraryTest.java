package io.budgetctl.lifecycle.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.lifecycle.secrets.Redactor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnoseLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void durationsAndIsoTimesAreNormalisedForTheHost() {
        // when / then
        assertThat(LogFilters.since("--since", "10m")).isEqualTo("600s");
        assertThat(LogFilters.since("--since", "1h30m")).isEqualTo("5400s");
        assertThat(LogFilters.since("--since", "2d")).isEqualTo("172800s");
        assertThat(LogFilters.since("--since", "2026-12-05T11:00:00+01:00")).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(LogFilters.since("--since", "2026-12-05")).isEqualTo("2026-12-05T00:00:00Z");
        assertThat(LogFilters.since("--since", " ")).isNull();
    }

    @Test
    void aSinceThatIsNeitherIsRefusedNamingTheOption() {
        // when / then
        for (String bad : List.of("10x", "10m; rm -rf /", "$(id)", "yesterday", "0s", "400d", "m10")) {
            assertThatThrownBy(() -> LogFilters.since("--since", bad)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("--since '" + bad + "' is not");
        }
    }

    @Test
    void servicesMustBeTheProductsOwn() {
        // when / then
        assertThat(LogFilters.services("--service", List.of("backend,worker", "backend"))).containsExactly("backend",
                "worker");
        assertThatThrownBy(() -> LogFilters.services("--service", List.of("backend;id")))
                .isInstanceOf(EngineException.class).hasMessageContaining("'backend;id' is not a service")
                .hasMessageContaining("migrate, backend, worker");
    }

    @Test
    void theServiceListIsTheComposeBundles() throws Exception {
        // given
        String compose = Files.readString(Path.of("../deploy/compose/docker-compose.yml"));
        String services = compose.substring(compose.indexOf("\nservices:\n"));
        services = services.substring(0, services.indexOf("\n\n", services.indexOf("\n  ", 12)) > 0
                ? services.length() : services.length());
        // when: top-level keys of services: (two spaces of indent)
        List<String> names = services.lines().filter(l -> l.matches("  [a-z]+:\\s*")).map(l -> l.strip()
                .replace(":", "")).toList();
        // then
        assertThat(names).containsExactlyInAnyOrderElementsOf(LogFilters.SERVICES);
    }

    @Test
    void theBundleHoldsRedactedFilesAndAManifestWithSizesAndChecksums() throws Exception {
        // given
        SupportBundle b = new SupportBundle(Redactor.of(List.of("pw-0123456789")));
        b.add("logs/backend.log", "login with pw-0123456789 ok\n", false);
        b.add("config/env", "DATABASE_PASSWORD=by-hand\nINSTANCE_ID=acme\n", true);
        // when
        Path out = tmp.resolve("b.tar.gz");
        Map<String, Object> manifest = b.write(out, "acme", "0.1.0", Instant.parse("2026-12-05T10:00:00Z"),
                Map.of("since", "600s"));
        Map<String, String> files = read(out);
        // then
        assertThat(files.keySet()).containsExactly("diagnose-acme/manifest.json", "diagnose-acme/logs/backend.log",
                "diagnose-acme/config/env");
        assertThat(files.get("diagnose-acme/logs/backend.log")).isEqualTo("login with ******** ok\n");
        assertThat(files.get("diagnose-acme/config/env")).isEqualTo("DATABASE_PASSWORD=********\nINSTANCE_ID=acme\n");
        assertThat(files.get("diagnose-acme/manifest.json")).contains("\"customer\" : \"acme\"")
                .contains("\"sha256\" : \"" + SupportBundle.sha256("login with ******** ok\n"
                        .getBytes(StandardCharsets.UTF_8)) + "\"").contains("\"since\" : \"600s\"");
        assertThat(manifest).containsEntry("total_bytes", 23 + 44);
        assertThat(b.redactions()).isEqualTo(2);
    }

    @Test
    void theTotalSizeIsBoundedWithAMarker() throws Exception {
        // given
        SupportBundle b = new SupportBundle(Redactor.of(List.of()), 200);
        // when
        b.add("a.txt", "x".repeat(150), false);
        b.add("b.txt", "y".repeat(150), false);
        b.add("c.txt", "z".repeat(150), false);
        Path out = tmp.resolve("c.tar.gz");
        b.write(out, "acme", "0.1.0", Instant.now(), Map.of());
        Map<String, String> files = read(out);
        // then
        int sum = files.entrySet().stream().filter(e -> !e.getKey().endsWith("manifest.json"))
                .mapToInt(e -> e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(sum).isLessThanOrEqualTo(200 + 200);
        assertThat(files.get("diagnose-acme/b.txt")).contains("[budgetctl diagnose: cut here");
        assertThat(files.get("diagnose-acme/manifest.json")).contains("\"truncated\" : true");
    }

    @Test
    void namesFromTheHostArePlainPaths() {
        // when / then
        assertThat(SupportBundle.validName("logs/itbm-acme-backend-1.log")).isTrue();
        for (String bad : List.of("../x", "/etc/passwd", "a/../../b", "", "a b", ".env")) {
            assertThat(SupportBundle.validName(bad)).as(bad).isFalse();
        }
    }

    private static Map<String, String> read(Path tarGz) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
