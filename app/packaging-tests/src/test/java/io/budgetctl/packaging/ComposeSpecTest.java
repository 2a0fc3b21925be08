package io.budgetctl.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Compose bundle against the Compose specification schema and our own rules. The schema is a copy of
 * ../shared/testdata/compose-spec/compose-spec.json in this module's test resources.
 */
class ComposeSpecTest {
  private static Schema schema;
  private static String raw;

  @BeforeAll
  static void load() throws Exception {
    String text;
    try (var in = ComposeSpecTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
      assertThat(in).as("compose-spec.json in the test resources").isNotNull();
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    // the schema's $id is relative: register it under an absolute name of our own
    String id = "https://budgetctl.io/test/compose_spec.json";
    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemas(Map.of(id, text)))
        .getSchema(SchemaLocation.of(id));
    raw = Files.readString(ComposeFiles.bundle().resolve("docker-compose.yml"));
  }

  private static JsonNode interpolated(Map<String, String> env) {
    return ComposeFiles.load(ComposeFiles.interpolate(raw, env));
  }

  @Test
  void bundleIsValidAgainstTheComposeSpecificationAsWrittenAndWithTheExampleEnv() throws Exception {
    // given
    Map<String, String> env = ComposeFiles.dotenv(ComposeFiles.bundle().resolve(".env.example"));

    // when
    List<Error> asWritten = schema.validate(ComposeFiles.load(raw));
    List<Error> withEnv = schema.validate(interpolated(env));

    // then
    assertThat(asWritten).isEmpty();
    assertThat(withEnv).isEmpty();
  }

  @Test
  void theSchemaCheckCatchesAMistake() {
    // given: a typo that docker-compose would reject (restart policy under the wrong key)
    ObjectNode broken = (ObjectNode) ComposeFiles.load(raw);
    ((ObjectNode) broken.get("services").get("backend")).put("restartpolicy", "always");

    // when
    List<Error> errors = schema.validate(broken);

    // then
    assertThat(errors).extracting(Error::getMessage).anyMatch(m -> m.contains("restartpolicy"));
  }

  @Test
  void everyLongRunningServiceHasHealthcheckRestartLimitsAndRotatedLogs() {
    // given
    JsonNode services = interpolated(Map.of("ITBM_VERSION", "v1.4.0", "ITBM_INGRESS_VERSION", "v1.4.0")).get("services");
    List<String> problems = new ArrayList<>();

    // when
    services.fields().forEachRemaining(e -> {
      JsonNode s = e.getValue();
      if (!s.path("logging").path("options").has("max-size")) {
        problems.add(e.getKey() + ": no log rotation");
      }
      if (e.getKey().equals("migrate")) {
        return;
      }
      for (String key : List.of("healthcheck", "restart", "mem_limit", "cpus")) {
        if (!s.has(key)) {
          problems.add(e.getKey() + ": no " + key);
        }
      }
    });

    // then
    assertThat(problems).isEmpty();
    assertThat(services.get("postgres").get("profiles").toString()).isEqualTo("[\"postgres\"]");
    assertThat(services.get("redis").get("profiles").toString()).isEqualTo("[\"redis\"]");
    assertThat(services.get("backend").get("depends_on").get("migrate").get("condition").asText())
        .isEqualTo("service_completed_successfully");
  }

  @Test
  void noSecretIsPassedAsAnEnvironmentValue() {
    // given
    JsonNode services = interpolated(Map.of("ITBM_VERSION", "v1.4.0", "ITBM_INGRESS_VERSION", "v1.4.0")).get("services");
    List<String> leaks = new ArrayList<>();

    // when
    services.fields().forEachRemaining(s -> s.getValue().path("environment").fields().forEachRemaining(v -> {
      if (v.getKey().matches(".*(PASSWORD|SECRET|TOKEN|KEY)$")) {
        leaks.add(s.getKey() + "." + v.getKey());
      }
    }));

    // then: only *_FILE variables, pointing into /run/secrets or the read-only licence mount
    assertThat(leaks).isEmpty();
    assertThat(services.get("backend").get("environment").get("DATABASE_PASSWORD_FILE").asText()).startsWith("/run/secrets/");
  }

  @Test
  void theVersionIsRequired() {
    // given
    Map<String, String> env = new HashMap<>();

    // when / then: docker-compose fails the same way on ${ITBM_VERSION:?...}
    assertThatThrownBy(() -> interpolated(env)).hasMessageContaining("ITBM_VERSION");
  }

  @Test
  void theIngressVersionIsRequiredAndNamesTheIngressImage() {
    // given: a .env that sets the version only
    Map<String, String> env = Map.of("ITBM_VERSION", "v1.4.0");

    // when / then
    assertThatThrownBy(() -> interpolated(env)).hasMessageContaining("ITBM_INGRESS_VERSION");
    JsonNode services = interpolated(Map.of("ITBM_VERSION", "v1.4.1", "ITBM_INGRESS_VERSION", "v1.4.0")).get("services");
    assertThat(services.get("ingress").get("image").asText()).isEqualTo("itbm/frontend:v1.4.0");
    assertThat(services.get("frontend").get("image").asText()).isEqualTo("itbm/frontend:v1.4.1");
  }
}
