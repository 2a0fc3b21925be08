package io.budgetctl.cli.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose-up's files/mounts.sh with sh, on a release layout in a temporary directory as the role leaves it before the
 * switch (releases/NAME with .env, licence/, ingress/, secrets/, and `current` pointing at the running release): what
 * stays at the running release's path, what gets a new one, the shared tls/. No Docker: the paths it writes into .env
 * are what Compose compares (DeployLifecycle and IntegrationsIT check the containers).
 */
class ComposeMountsScriptTest {
    @TempDir
    Path itbm;

    /** A release directory as render.yml leaves it, with these secret values. */
    Path release(String name, String licence, String smtp, String db) throws Exception {
        return release(name, "v1.4.0", licence, smtp, db, "import files.caddy\n");
    }

    /** A release of this version (its .env as env.j2 renders it) with this ingress configuration. */
    Path release(String name, String version, String licence, String smtp, String db, String caddyfile) throws Exception {
        Path rel = Files.createDirectories(itbm.resolve("releases").resolve(name));
        Files.createDirectories(itbm.resolve("shared"));
        Files.writeString(rel.resolve(".env"), "ITBM_VERSION=" + version + "\nITBM_INGRESS_VERSION=" + version + "\n");
        Files.createDirectories(rel.resolve("licence"));
        Files.writeString(rel.resolve("licence/licence.json"), licence);
        Files.createDirectories(rel.resolve("ingress"));
        Files.writeString(rel.resolve("ingress/Caddyfile"), caddyfile);
        Files.createDirectories(rel.resolve("tls"));
        Files.createDirectories(rel.resolve("secrets/postgres"));
        Files.writeString(rel.resolve("secrets/smtp_password"), smtp);
        Files.writeString(rel.resolve("secrets/db_password"), db);
        Files.writeString(rel.resolve("secrets/postgres/db_password"), db);
        for (String f : List.of("smtp_password", "db_password", "postgres/db_password")) {
            Files.setPosixFilePermissions(rel.resolve("secrets").resolve(f), PosixFilePermissions.fromString("r--------"));
        }
        return rel;
    }

    /** The images the server has, as the script's `docker image inspect` sees them (a stand-in docker on PATH). */
    List<String> images = List.of();

    String mounts(String name) throws Exception {
        return mounts(name, "keep-ingress");
    }

    String mounts(String name, String ingressMode) throws Exception {
        Path bin = Files.createDirectories(itbm.resolveSibling(itbm.getFileName() + "-bin"));
        Files.write(bin.resolve("images"), images);
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\n[ \"$1 $2\" = 'image inspect' ] && grep -qxF \"$3\" '" + bin.resolve("images") + "'\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
        return TestCerts.exec("env", "PATH=" + bin + ":" + System.getenv("PATH"), "sh",
                LifecycleRolesIT.repo().resolve("roles/compose-up/files/mounts.sh").toString(), itbm.toString(), name,
                ingressMode);
    }

    String ingressVersion(String name) throws Exception {
        return Files.readAllLines(itbm.resolve("releases").resolve(name).resolve(".env")).stream()
                .filter(l -> l.startsWith("ITBM_INGRESS_VERSION=")).map(l -> l.substring(l.indexOf('=') + 1))
                .reduce((a, b) -> b).orElse("");
    }

    /** The ITBM_MOUNT_* lines of a release's .env, by variable. */
    Map<String, String> env(String name) throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (String l : Files.readAllLines(itbm.resolve("releases").resolve(name).resolve(".env"))) {
            if (l.startsWith("ITBM_MOUNT_")) {
                m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return m;
    }

    void switchTo(String name) throws Exception {
        Files.deleteIfExists(itbm.resolve("current"));
        Files.createSymbolicLink(itbm.resolve("current"), Path.of("releases", name));
    }

    @Test
    void unchangedContentKeepsTheRunningReleasesPathsAndAChangeGetsANewOne() throws Exception {
        // given: a running release made before shared/tls and ITBM_MOUNT_* (its certificate in its own tls/)
        Path old = release("v1.3.2-0", "{\"modules\":[]}", "mail-1", "db-1");
        Files.writeString(old.resolve("tls/cert.pem"), "CERT");
        switchTo("v1.3.2-0");
        release("v1.4.0-1", "{\"modules\":[]}", "mail-1", "db-1");
        // when
        String out1 = mounts("v1.4.0-1");
        switchTo("v1.4.0-1");
        // then: everything is new (the running release named nothing), in the store, and tls/ is the server's, seeded
        // once from the running release
        Map<String, String> e1 = env("v1.4.0-1");
        assertThat(out1).contains("new licence@v1.4.0-1", "new secrets_smtp_password@v1.4.0-1",
                "new secrets_postgres_db_password@v1.4.0-1", "new shared/tls").doesNotContain("mail-1", "db-1");
        assertThat(e1).containsEntry("ITBM_MOUNT_LICENCE", itbm + "/store/licence@v1.4.0-1")
                .containsEntry("ITBM_MOUNT_SECRET_POSTGRES_DB_PASSWORD",
                        itbm + "/store/secrets_postgres_db_password@v1.4.0-1")
                .containsEntry("ITBM_MOUNT_TLS", itbm + "/shared/tls").hasSize(6);
        assertThat(Files.readString(itbm.resolve("shared/tls/cert.pem"))).isEqualTo("CERT");
        assertThat(Files.readString(Path.of(e1.get("ITBM_MOUNT_SECRET_SMTP_PASSWORD")))).isEqualTo("mail-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Path.of(e1.get("ITBM_MOUNT_SECRET_SMTP_PASSWORD"))))).isEqualTo("r--------");

        // when: a second release changes only the SMTP password
        release("v1.4.0-2", "{\"modules\":[]}", "mail-2", "db-1");
        mounts("v1.4.0-2");
        Map<String, String> e2 = env("v1.4.0-2");
        // then: only that secret has a new path; the rest are the running release's
        assertThat(e2.get("ITBM_MOUNT_SECRET_SMTP_PASSWORD")).isEqualTo(itbm + "/store/secrets_smtp_password@v1.4.0-2");
        Map<String, String> others = new TreeMap<>(e2);
        others.remove("ITBM_MOUNT_SECRET_SMTP_PASSWORD");
        Map<String, String> before = new TreeMap<>(e1);
        before.remove("ITBM_MOUNT_SECRET_SMTP_PASSWORD");
        assertThat(others).isEqualTo(before);

        // when: a third one after a switch to the second changes the licence and a file's mode only
        switchTo("v1.4.0-2");
        Path third = release("v1.4.0-3", "{\"modules\":[\"sso\"]}", "mail-2", "db-1");
        Files.setPosixFilePermissions(third.resolve("secrets/db_password"), PosixFilePermissions.fromString("r--r-----"));
        mounts("v1.4.0-3");
        Map<String, String> e3 = env("v1.4.0-3");
        // then: the licence and that secret are new; the SMTP password stays at the path the second release made
        assertThat(e3.get("ITBM_MOUNT_LICENCE")).endsWith("/store/licence@v1.4.0-3");
        assertThat(e3.get("ITBM_MOUNT_SECRET_DB_PASSWORD")).endsWith("/store/secrets_db_password@v1.4.0-3");
        assertThat(e3.get("ITBM_MOUNT_SECRET_SMTP_PASSWORD")).isEqualTo(e2.get("ITBM_MOUNT_SECRET_SMTP_PASSWORD"));
        assertThat(e3.get("ITBM_MOUNT_INGRESS")).isEqualTo(e1.get("ITBM_MOUNT_INGRESS"));
    }

    @Test
    void aRunningPathOutsideTheStoreIsNeverReused() throws Exception {
        // given: a running release whose .env names a path elsewhere with the same content
        Path elsewhere = Files.createDirectories(itbm.resolve("elsewhere/licence"));
        Files.writeString(elsewhere.resolve("licence.json"), "{}");
        Path running = release("v1.4.0-1", "{}", "m", "d");
        Files.writeString(running.resolve(".env"), "ITBM_MOUNT_LICENCE=" + elsewhere + "\n");
        switchTo("v1.4.0-1");
        release("v1.4.0-2", "{}", "m", "d");
        // when
        mounts("v1.4.0-2");
        // then
        assertThat(env("v1.4.0-2").get("ITBM_MOUNT_LICENCE")).isEqualTo(itbm + "/store/licence@v1.4.0-2");
    }

    /**
     * v1.4.0 deployed and running, then v1.4.1 rendered with the same ingress configuration and its mounts chosen on a
     * server that has these images; returns what mounts.sh printed for v1.4.1 (release v1.4.1-2).
     */
    String upgradeFromV140WithTheServersImages(String... serversImages) throws Exception {
        return upgradeFromV140("keep-ingress", serversImages);
    }

    String upgradeFromV140(String ingressMode, String... serversImages) throws Exception {
        images = List.of(serversImages);
        release("v1.4.0-1", "v1.4.0", "{}", "m", "d", "import files.caddy\n");
        mounts("v1.4.0-1");
        switchTo("v1.4.0-1");
        release("v1.4.1-2", "v1.4.1", "{}", "m", "d", "import files.caddy\n");
        return mounts("v1.4.1-2", ingressMode);
    }

    @Test
    void updateIngressMovesTheIngressToTheNewVersionOnPurpose() throws Exception {
        // when: deploy -e itbm_ingress_update=true (a Caddy fix in the new frontend image)
        String out = upgradeFromV140("update-ingress", "itbm/frontend:v1.4.0", "itbm/frontend:v1.4.1");
        // then
        assertThat(out).contains("new ingress v1.4.1");
        assertThat(ingressVersion("v1.4.1-2")).isEqualTo("v1.4.1");
    }

    @Test
    void anUpgradeKeepsTheRunningIngressWhileItsConfigurationStays() throws Exception {
        // given: v1.4.0 running (its ingress image on the server), v1.4.1 with the same ingress configuration
        // when
        String out = upgradeFromV140WithTheServersImages("itbm/frontend:v1.4.0", "itbm/frontend:v1.4.1");
        // then: the ingress stays at v1.4.0, everything else moves to v1.4.1
        assertThat(out).contains("kept ingress v1.4.0");
        assertThat(ingressVersion("v1.4.1-2")).isEqualTo("v1.4.0");
        assertThat(Files.readString(itbm.resolve("releases/v1.4.1-2/.env"))).contains("ITBM_VERSION=v1.4.1\n");

        // when: the next release changes the ingress configuration
        switchTo("v1.4.1-2");
        release("v1.4.1-3", "v1.4.1", "{}", "m", "d", "import internal.caddy\n");
        String changed = mounts("v1.4.1-3");
        // then: the ingress comes in the new version
        assertThat(changed).contains("new ingress v1.4.1");
        assertThat(ingressVersion("v1.4.1-3")).isEqualTo("v1.4.1");
    }

    @Test
    void aRunningIngressImageNoLongerOnTheServerIsNotKept() throws Exception {
        // given: the running release's ingress image was removed by hand
        // when
        String out = upgradeFromV140WithTheServersImages("itbm/frontend:v1.4.1");
        // then
        assertThat(out).contains("new ingress v1.4.1");
        assertThat(ingressVersion("v1.4.1-2")).isEqualTo("v1.4.1");
    }
}
