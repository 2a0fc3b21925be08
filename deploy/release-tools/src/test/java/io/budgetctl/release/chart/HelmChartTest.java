package io.budgetctl.release.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelmChartTest {

  @TempDir
  Path tmp;

  static List<Path> ciValues() {
    return Chart.ciValuesFiles();
  }

  @Test
  void theMatrixCoversTheOptionsTheComposeBundleHas() {
    assertThat(ciValues()).extracting(p -> p.getFileName().toString())
        .contains("minimal.yaml", "external-db.yaml", "tls-existing-secret.yaml", "tls-cert-manager.yaml",
            "modules-all.yaml", "digests.yaml", "no-ingress-no-migrations.yaml", "integrations.yaml", "external-tls.yaml");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValues")
  void lintPassesStrictlyForEveryCiValuesFile(Path values) {
    // when
    LintResult result = Chart.lint(values, tmp);
    // then
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValues")
  void everyRenderedManifestParsesIntoTheKubernetesModelWithoutUnknownFields(Path values) {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(values, tmp));
    // then
    assertThat(objects).extracting(HasMetadata::getKind)
        .contains("Deployment", "Service")
        .filteredOn("Deployment"::equals).hasSize(4);
    assertThat(deployments(objects)).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-itbm-backend", "acme-itbm-frontend", "acme-itbm-worker", "acme-itbm-scheduler");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ciValues")
  void passwordsReachThePodsOnlyThroughSecretKeyRefs(Path values) throws IOException {
    // given
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(values, tmp));
    // then
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Secret", "ConfigMap");
    for (PodSpec pod : podSpecs(objects)) {
      for (Container c : pod.getContainers()) {
        for (EnvVar e : c.getEnv()) {
          if (e.getName().matches(".*(PASSWORD|SECRET|TOKEN).*")) {
            assertThat(e.getValue()).as(c.getName() + " " + e.getName()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef()).as(c.getName() + " " + e.getName()).isNotNull();
          }
        }
      }
    }
    String source = Files.readString(values);
    assertThat(source).doesNotContainIgnoringCase("password:");
  }

  @Test
  void theDatabasePasswordComesFromTheNamedSecretAndKey() {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("external-db.yaml")));
    // then
    Container backend = container(objects, "acme-itbm-backend");
    assertThat(env(backend, "DATABASE_PASSWORD").getValueFrom().getSecretKeyRef())
        .satisfies(ref -> {
          assertThat(ref.getName()).isEqualTo("acme-postgres");
          assertThat(ref.getKey()).isEqualTo("itbm-password");
        });
    assertThat(env(backend, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-redis");
    assertThat(env(backend, "DATABASE_URL").getValue()).isEqualTo("jdbc:postgresql://pg.acme.internal:6432/itbm_prod"
        + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
    assertThat(env(backend, "DATABASE_USER").getValue()).isEqualTo("itbm_app");
    assertThat(env(backend, "REDIS_URL").getValue()).isEqualTo("redis://redis.acme.internal:6380");
    Container scheduler = container(objects, "acme-itbm-scheduler");
    assertThat(env(scheduler, "LICENCE_PORTAL_URL").getValue()).isEqualTo("https://portal.vendor.example");
    assertThat(env(scheduler, "INSTANCE_ID").getValue()).isEqualTo("acme-prod-1");
    assertThat(env(scheduler, "LICENCE_PORTAL_TOKEN").getValueFrom().getSecretKeyRef())
        .satisfies(ref -> {
          assertThat(ref.getName()).isEqualTo("acme-portal");
          assertThat(ref.getKey()).isEqualTo("token");
        });
    assertThat(env(scheduler, "LICENCE_PORTAL_PROXY").getValue()).isEqualTo("http://proxy.acme.internal:3128");
  }

  @Test
  void aPortalUrlWithoutTheTokensSecretIsRefusedAtRender() throws IOException {
    Path values = tmp.resolve("no-token.yaml");
    Files.writeString(values, Files.readString(ci("external-db.yaml"))
        .replace("  licencePortalTokenSecret: acme-portal\n", ""));
    assertThatThrownBy(() -> Chart.template(values))
        .hasMessageContaining("scheduler.licencePortalTokenSecret is required with scheduler.licencePortalUrl");
    assertThat(container(StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml"))), "acme-itbm-scheduler")
        .getEnv()).extracting(EnvVar::getName).doesNotContain("LICENCE_PORTAL_TOKEN", "LICENCE_PORTAL_PROXY");
  }

  @Test
  void theIntegrationsReachTheServicesThatUseThemWithTheirSecretsFromSecretKeyRefs() {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("integrations.yaml")));
    // then: OpenID Connect on the backend, as the compose bundle sets it
    Container backend = container(objects, "acme-itbm-backend");
    assertThat(env(backend, "OIDC_ISSUER").getValue()).isEqualTo("https://login.acme.example/realms/staff");
    assertThat(env(backend, "OIDC_CLIENT_ID").getValue()).isEqualTo("itbm");
    assertThat(env(backend, "OIDC_SCOPES").getValue()).isEqualTo("openid,profile,email");
    assertThat(env(backend, "OIDC_CLIENT_SECRET").getValueFrom().getSecretKeyRef()).satisfies(ref -> {
      assertThat(ref.getName()).isEqualTo("acme-oidc");
      assertThat(ref.getKey()).isEqualTo("secret");
    });
    // the mail and the 1C exchange on the worker
    Container worker = container(objects, "acme-itbm-worker");
    assertThat(env(worker, "SMTP_HOST").getValue()).isEqualTo("smtp.acme.example");
    assertThat(env(worker, "SMTP_PORT").getValue()).isEqualTo("2525");
    assertThat(env(worker, "SMTP_USER").getValue()).isEqualTo("itbm-notify");
    assertThat(env(worker, "SMTP_SENDER").getValue()).isEqualTo("itbm@acme.example");
    assertThat(env(worker, "SMTP_STARTTLS").getValue()).isEqualTo("false");
    assertThat(env(worker, "SMTP_RECIPIENTS").getValue()).isEqualTo("finance@acme.example,it@acme.example");
    assertThat(env(worker, "SMTP_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-smtp");
    assertThat(env(worker, "ONEC_BASE_URL").getValue()).isEqualTo("https://1c.acme.example/exchange");
    assertThat(env(worker, "ONEC_SCHEDULE").getValue()).isEqualTo("15 */2 * * *");
    assertThat(env(worker, "ONEC_CREDENTIALS").getValueFrom().getSecretKeyRef()).satisfies(ref -> {
      assertThat(ref.getName()).isEqualTo("acme-1c");
      assertThat(ref.getKey()).isEqualTo("credentials");
    });
    // and nowhere else; off by default
    assertThat(container(objects, "acme-itbm-scheduler").getEnv()).extracting(EnvVar::getName)
        .noneMatch(n -> n.startsWith("SMTP_") || n.startsWith("OIDC_") || n.startsWith("ONEC_"));
    List<HasMetadata> minimal = StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml")));
    assertThat(container(minimal, "acme-itbm-backend").getEnv()).extracting(EnvVar::getName)
        .noneMatch(n -> n.startsWith("OIDC_"));
    assertThat(container(minimal, "acme-itbm-worker").getEnv()).extracting(EnvVar::getName)
        .noneMatch(n -> n.startsWith("SMTP_") || n.startsWith("ONEC_"));
  }

  @Test
  void anIntegrationMissingWhatItNeedsIsRefusedAtRenderOrBySchema() throws IOException {
    String base = Files.readString(ci("integrations.yaml"));
    Map<String, String> broken = Map.of(
        "integrations.onec.existingSecret is required with integrations.onec.baseUrl",
        base.replace("    existingSecret: acme-1c\n", ""),
        "integrations.smtp.sender is required with integrations.smtp.host",
        base.replace("    sender: itbm@acme.example\n", ""),
        "integrations.sso.clientId is required with integrations.sso.issuer",
        base.replace("    clientId: itbm\n", ""),
        "schedule", base.replace("\"15 */2 * * *\"", "\"every hour\""),
        "issuer", base.replace("https://login.acme.example/realms/staff", "login.acme.example"),
        "sender", base.replace("itbm@acme.example", "itbm at acme"));
    assertEachIsRefusedNaming(broken);
  }

  /** Each values text (by the words its refusal must contain) fails `helm template` with those words. */
  private void assertEachIsRefusedNaming(Map<String, String> brokenByExpectedMessage) throws IOException {
    for (Map.Entry<String, String> e : brokenByExpectedMessage.entrySet()) {
      Path values = tmp.resolve("broken.yaml");
      Files.writeString(values, e.getValue());
      assertThatThrownBy(() -> Chart.template(values)).as(e.getKey()).hasMessageContaining(e.getKey());
    }
  }

  @Test
  void theDatabaseAndRedisAreVerifiedAgainstTheirCasFromSecretsMountedIntoEveryJavaPod() throws IOException {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(ci("external-tls.yaml"), tmp));
    // then: the URLs and settings the compose bundle gives for the same client file
    for (String name : List.of("acme-itbm-backend", "acme-itbm-worker", "acme-itbm-scheduler")) {
      Container c = container(objects, name);
      assertThat(env(c, "DATABASE_URL").getValue()).isEqualTo("jdbc:postgresql://pg.acme.internal:5432/itbm"
          + "?sslmode=verify-full&sslrootcert=/etc/itbm/tls/db-ca.crt");
      assertThat(env(c, "REDIS_URL").getValue()).isEqualTo("rediss://redis.acme.internal:6380");
      assertThat(env(c, "REDIS_TLS_VERIFY").getValue()).isEqualTo("full");
      assertThat(env(c, "REDIS_CA_FILE").getValue()).isEqualTo("/etc/itbm/tls/redis-ca.crt");
      assertThat(c.getVolumeMounts()).anySatisfy(m -> {
        assertThat(m.getName()).isEqualTo("tls-ca");
        assertThat(m.getMountPath()).isEqualTo("/etc/itbm/tls");
        assertThat(m.getReadOnly()).isTrue();
      });
    }
    PodSpec backend = deployment(objects, "acme-itbm-backend").getSpec().getTemplate().getSpec();
    assertThat(backend.getVolumes()).filteredOn(v -> v.getName().equals("tls-ca")).singleElement()
        .satisfies(v -> assertThat(v.getProjected().getSources()).satisfiesExactly(
            src -> {
              assertThat(src.getSecret().getName()).isEqualTo("acme-db-ca");
              assertThat(src.getSecret().getItems().get(0).getKey()).isEqualTo("ca.crt");
              assertThat(src.getSecret().getItems().get(0).getPath()).isEqualTo("db-ca.crt");
            },
            src -> {
              assertThat(src.getSecret().getName()).isEqualTo("acme-redis-ca");
              assertThat(src.getSecret().getItems().get(0).getKey()).isEqualTo("ca.pem");
              assertThat(src.getSecret().getItems().get(0).getPath()).isEqualTo("redis-ca.crt");
            }));
    // the migration Job talks to the database too
    assertThat(podSpecs(objects)).allSatisfy(pod -> {
      if (pod.getContainers().get(0).getEnv().stream().anyMatch(e -> e.getName().equals("DATABASE_URL"))) {
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).contains("tls-ca");
      }
    });
    // encrypted but not verified; no TLS at all by default
    Path require = tmp.resolve("require.yaml");
    Files.writeString(require, Files.readString(ci("external-tls.yaml"))
        .replace("    mode: verify-full\n    caSecret: acme-redis-ca\n    caKey: ca.pem\n", "    mode: require\n"));
    Container c = container(StrictKubernetes.parseAll(Chart.template(require)), "acme-itbm-worker");
    assertThat(env(c, "REDIS_URL").getValue()).startsWith("rediss://");
    assertThat(env(c, "REDIS_TLS_VERIFY").getValue()).isEqualTo("none");
    assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("REDIS_CA_FILE");
    Container plain = container(StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml"))), "acme-itbm-worker");
    assertThat(env(plain, "REDIS_URL").getValue()).isEqualTo("redis://cache.acme.internal:6379");
    assertThat(plain.getEnv()).extracting(EnvVar::getName).doesNotContain("REDIS_TLS_VERIFY", "REDIS_CA_FILE");
    assertThat(plain.getVolumeMounts()).extracting(m -> m.getName()).doesNotContain("tls-ca");
  }

  @Test
  void aCaWithoutVerificationIsRefusedAtRender() throws IOException {
    String base = Files.readString(ci("external-tls.yaml"));
    Map<String, String> broken = Map.of(
        "database.caSecret needs database.sslMode verify-ca or verify-full",
        base.replace("sslMode: verify-full", "sslMode: require"),
        "redis.tls.caSecret needs redis.tls.mode verify-full", base.replace("    mode: verify-full\n", "    mode: require\n"),
        "mode", base.replace("    mode: verify-full\n", "    mode: verify-ca\n"));
    assertEachIsRefusedNaming(broken);
  }

  @Test
  void withoutARedisSecretNoRedisPasswordIsSet() {
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml")));
    assertThat(container(objects, "acme-itbm-worker").getEnv()).extracting(EnvVar::getName)
        .contains("DATABASE_PASSWORD").doesNotContain("REDIS_PASSWORD", "LICENCE_FILE");
  }

  @Test
  void migrationsRunAsAPreInstallPreUpgradeHookJobWithTheBackendsMigrateCommand() {
    // given Helm treats the Job as a hook: it is not part of the release manifest
    assertThat(StrictKubernetes.parseAll(Chart.template(ci("digests.yaml")))).extracting(HasMetadata::getKind)
        .doesNotContain("Job");
    // when rendered with the hook annotations renamed so the Job shows up
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(ci("digests.yaml"), tmp));
    // then
    Job job = only(objects, Job.class);
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(Chart.UNHOOKED, "pre-install,pre-upgrade")
        .containsEntry(Chart.UNHOOKED + "-delete-policy", "before-hook-creation,hook-succeeded");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    Container migrate = pod.getContainers().get(0);
    assertThat(migrate.getArgs()).containsExactly("migrate");
    assertThat(migrate.getImage()).isEqualTo(container(objects, "acme-itbm-backend").getImage());
    assertThat(env(migrate, "DATABASE_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("itbm-db");
  }

  @Test
  void migrationsCanBeSwitchedOffAndTheIngressLeftToTheCustomer() {
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(ci("no-ingress-no-migrations.yaml"), tmp));
    assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Job", "Ingress");
    assertThat(container(objects, "acme-itbm-backend").getImage()).isEqualTo("itbm/backend:v1.3.2");
  }

  @Test
  void theBackendIsLiveOnHealthzAndReadyOnReadyz() {
    // when
    Container backend = container(StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml"))), "acme-itbm-backend");
    // then
    assertThat(backend.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(backend.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(backend.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(backend.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(8080);
    assertThat(backend.getArgs()).containsExactly("backend");
  }

  @Test
  void workerAndSchedulerAreProbedThroughTheirHeartbeatFile() {
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml")));
    for (String name : List.of("acme-itbm-worker", "acme-itbm-scheduler")) {
      Container c = container(objects, name);
      assertThat(String.join(" ", c.getLivenessProbe().getExec().getCommand())).contains("/tmp/itbm-heartbeat");
      assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp");
    }
    assertThat(deployment(objects, "acme-itbm-scheduler").getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void anExistingTlsSecretCoversTheIngressHost() {
    // when
    Ingress ingress = only(StrictKubernetes.parseAll(Chart.template(ci("tls-existing-secret.yaml"))), Ingress.class);
    // then
    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
      assertThat(tls.getHosts()).containsExactly("itbm.beta-retail.example");
      assertThat(tls.getSecretName()).isEqualTo("beta-wildcard-tls");
    });
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("itbm.beta-retail.example");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "20m")
        .doesNotContainKeys("cert-manager.io/cluster-issuer", "cert-manager.io/issuer");
    assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
        .isEqualTo("acme-itbm-frontend");
  }

  @Test
  void certManagerIsAskedForTheCertificateThroughTheIssuerAnnotation() {
    Ingress ingress = only(StrictKubernetes.parseAll(Chart.template(ci("tls-cert-manager.yaml"))), Ingress.class);
    assertThat(ingress.getMetadata().getAnnotations()).containsEntry("cert-manager.io/cluster-issuer", "letsencrypt-prod");
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("budget-gamma-tls");
    assertThat(ingress.getSpec().getTls().get(0).getHosts()).containsExactly("budget.gamma.example");
  }

  @Test
  void tlsModeNoneLeavesTheIngressOnPlainHttp() {
    Ingress ingress = only(StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml"))), Ingress.class);
    assertThat(ingress.getSpec().getTls()).isEmpty();
  }

  @Test
  void digestsPinEveryImageAndThePullSecretIsOnEveryPod() {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.templateWithHooks(ci("digests.yaml"), tmp));
    // then
    assertThat(objects).extracting(HasMetadata::getKind).contains("Job");
    assertThat(container(objects, "acme-itbm-frontend").getImage())
        .isEqualTo("registry.vendor.example:5000/itbm/frontend@sha256:" + "2".repeat(64));
    for (PodSpec pod : podSpecs(objects)) {
      assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("vendor-registry");
      assertThat(pod.getContainers().get(0).getImage()).startsWith("registry.vendor.example:5000/itbm/").contains("@sha256:");
      assertThat(pod.getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
    }
  }

  @Test
  void theLicenceSecretIsMountedReadOnlyAsFilesAndTheModulesAreExported() {
    // when
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("modules-all.yaml")));
    // then
    Deployment backend = deployment(objects, "acme-itbm-backend");
    PodSpec pod = backend.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).filteredOn(v -> "licence".equals(v.getName())).singleElement()
        .satisfies(v -> {
          assertThat(v.getSecret().getSecretName()).isEqualTo("delta-licence");
          assertThat(v.getSecret().getItems()).extracting(i -> i.getPath())
              .containsExactly("licence.json", "licence-signing.pub");
        });
    Container c = pod.getContainers().get(0);
    assertThat(c.getVolumeMounts()).filteredOn(m -> "licence".equals(m.getName())).singleElement()
        .satisfies(m -> {
          assertThat(m.getMountPath()).isEqualTo("/etc/itbm/licence");
          assertThat(m.getReadOnly()).isTrue();
        });
    assertThat(env(c, "LICENCE_FILE").getValue()).isEqualTo("/etc/itbm/licence/licence.json");
    assertThat(env(c, "ITBM_MODULES").getValue())
        .isEqualTo("forecasting,integrations-1c,sso,reporting,approvals,audit,multi-currency,api");
    assertThat(backend.getSpec().getReplicas()).isEqualTo(4);
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    assertThat(env(c, "JAVA_TOOL_OPTIONS").getValue()).isEqualTo("-XX:+UseG1GC");
  }

  @Test
  void servicesSelectExactlyTheirOwnComponent() {
    List<HasMetadata> objects = StrictKubernetes.parseAll(Chart.template(ci("minimal.yaml")));
    List<Service> services = objects.stream().filter(Service.class::isInstance).map(Service.class::cast).toList();
    assertThat(services).extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("acme-itbm-backend", "acme-itbm-frontend");
    for (Service s : services) {
      String component = s.getSpec().getSelector().get("app.kubernetes.io/component");
      Deployment d = deployment(objects, s.getMetadata().getName());
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(s.getSpec().getSelector());
      assertThat(d.getMetadata().getName()).endsWith(component);
    }
    assertThat(env(container(objects, "acme-itbm-frontend"), "BACKEND_UPSTREAM").getValue())
        .isEqualTo("acme-itbm-backend:8080");
  }

  // ---- negative cases

  @Test
  void aTypoedFieldInAManifestIsRejectedByTheStrictModel() {
    // given a rendered Deployment with one misspelt container field
    String rendered = Chart.template(ci("minimal.yaml"));
    String typo = rendered.replaceFirst("imagePullPolicy:", "imagePulPolicy:");
    assertThat(typo).isNotEqualTo(rendered);
    // when / then
    assertThatThrownBy(() -> StrictKubernetes.parseAll(typo))
        .hasMessageContaining("imagePulPolicy");
    // and fabric8's model on its own would have kept it quietly in additionalProperties
    com.fasterxml.jackson.dataformat.yaml.YAMLMapper lenient = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    lenient.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    String firstDeployment = typo.substring(typo.indexOf("apiVersion: apps/v1"), typo.indexOf("---", typo.indexOf("apiVersion: apps/v1")));
    Deployment kept = readLeniently(lenient, firstDeployment);
    assertThat(kept.getSpec().getTemplate().getSpec().getContainers().get(0).getAdditionalProperties())
        .containsKey("imagePulPolicy");
  }

  @Test
  void aTypoedValueIsRejectedByTheValuesSchema() throws IOException {
    // given
    Path values = tmp.resolve("typo.yaml");
    Files.writeString(values, Files.readString(ci("minimal.yaml")).replace("database:", "database:\n  hots: x"));
    // when / then
    assertThatThrownBy(() -> Chart.template(values)).hasMessageContaining("hots");
    assertThat(Chart.lint(values, tmp.resolve("lint")).isFailed()).isTrue();
  }

  @Test
  void anUnknownTlsModeAndAPlaintextPasswordAreRejectedByTheValuesSchema() throws IOException {
    Path badMode = tmp.resolve("mode.yaml");
    Files.writeString(badMode, Files.readString(ci("minimal.yaml")).replace("mode: none", "mode: letsencrypt"));
    assertThatThrownBy(() -> Chart.template(badMode)).hasMessageContaining("mode");

    Path password = tmp.resolve("password.yaml");
    Files.writeString(password, Files.readString(ci("minimal.yaml")).replace("database:", "database:\n  password: hunter2"));
    assertThatThrownBy(() -> Chart.template(password)).hasMessageContaining("password");

    Path envPassword = tmp.resolve("env.yaml");
    Files.writeString(envPassword, Files.readString(ci("minimal.yaml"))
        + "backend:\n  image: {repository: backend}\n  extraEnv: [{name: DB_PASSWORD, value: hunter2}]\n");
    assertThatThrownBy(() -> Chart.template(envPassword)).hasMessageContaining("extraEnv");
  }

  @Test
  void theDefaultsAloneFailLintNamingTheMissingDatabaseAndRedisHosts() {
    // the chart's own values.yaml leaves the customer's database empty on purpose
    LintResult result = Chart.lintDefaults();
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("/database/host", "/redis/host");
  }

  // ---- helpers

  private static Deployment readLeniently(com.fasterxml.jackson.dataformat.yaml.YAMLMapper mapper, String yaml) {
    try {
      return mapper.readValue(yaml, Deployment.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path ci(String name) {
    return Chart.CI_VALUES.resolve(name);
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<Deployment> deployments(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();
  }

  private static Deployment deployment(List<HasMetadata> objects, String name) {
    return deployments(objects).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static Container container(List<HasMetadata> objects, String deployment) {
    return deployment(objects, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static List<PodSpec> podSpecs(List<HasMetadata> objects) {
    return Stream.concat(
        deployments(objects).stream().map(d -> d.getSpec().getTemplate().getSpec()),
        objects.stream().filter(Job.class::isInstance).map(j -> ((Job) j).getSpec().getTemplate().getSpec())).toList();
  }

  private static EnvVar env(Container c, String name) {
    Optional<EnvVar> e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst();
    return e.orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name + ": "
        + c.getEnv().stream().map(EnvVar::getName).toList()));
  }

}
