package io.budgetctl.modules.system;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.BadArgument;
import io.budgetctl.modules.ModuleTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact commands apt builds, and parsing of real dpkg-query / apt-cache output (Debian 12). */
class AptModuleTest {

    @Test
    void installIsNonInteractiveKeepsConfigFilesAndWaitsForTheLock() {
        assertThat(AptModule.installArgv(List.of("nginx", "curl=7.88*"), false, false)).containsExactly(
                "apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=60",
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
                "--no-install-recommends", "install", "nginx", "curl=7.88*");
        assertThat(AptModule.ENV).containsExactly(Map.entry("DEBIAN_FRONTEND", "noninteractive"));
    }

    @Test
    void checkModeSimulatesAndRemoveCanPurge() {
        assertThat(AptModule.installArgv(List.of("git"), null, true)).containsSubsequence("-s", "install", "git")
                .doesNotContain("--no-install-recommends", "--install-recommends");
        assertThat(AptModule.removeArgv(List.of("sl"), true, true)).containsExactly(
                "apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=60", "--purge", "-s", "remove", "sl");
        assertThat(AptModule.updateArgv()).containsExactly("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=60");
    }

    @Test
    void dpkgQueryAsksForNameStatusAndVersionOfBaseNames() {
        List<AptModule.Pkg> pkgs = AptModule.packages(List.of("bash", "libc6:amd64", "curl=7.88.1-10"));
        assertThat(AptModule.dpkgQueryArgv(pkgs)).containsExactly("dpkg-query", "-W", "-f",
                "${Package}\\t${Status}\\t${Version}\\n", "bash", "libc6", "curl");
        assertThat(pkgs.get(2)).isEqualTo(new AptModule.Pkg("curl", "7.88.1-10"));
    }

    @Test
    void packageNamesThatCouldBeOptionsOrShellAreRejected() {
        assertThatThrownBy(() -> AptModule.packages(List.of("-o=APT::x")))
                .hasMessageStartingWith("invalid package name '-o=APT::x'");
        assertThatThrownBy(() -> AptModule.packages(List.of("curl; rm -rf /")))
                .isInstanceOf(BadArgument.class);
    }

    @Test
    void parsesRealDpkgQueryOutput() throws IOException {
        Map<String, AptModule.Installed> m = AptModule.parseDpkgQuery(resource("dpkg-query-bash-coreutils-missing.txt"));
        assertThat(m).containsOnlyKeys("bash", "coreutils");
        assertThat(m.get("bash").installed()).isTrue();
        assertThat(m.get("bash").version()).isEqualTo("5.2.15-2+b8");
        assertThat(AptModule.parseDpkgQuery("sl\tdeinstall ok config-files\t5.02-1+b1\n").get("sl").installed())
                .isFalse();
    }

    @Test
    void parsesRealAptCachePolicyOutput() throws IOException {
        Map<String, String[]> m = AptModule.parsePolicy(resource("apt-cache-policy-bash-coreutils.txt"));
        assertThat(m.get("bash")).containsExactly("5.2.15-2+b8", "5.2.15-2+b13");
        assertThat(m.get("coreutils")).containsExactly("9.1-1", "9.1-1");
        Map<String, String[]> n = AptModule.parsePolicy(resource("apt-cache-policy-notinstalled-unknown.txt"));
        assertThat(n.get("sl")).containsExactly("(none)", "5.02-1+b1");
        assertThat(n).doesNotContainKey("no-such-package-xyz");
    }

    @Test
    void versionPatternsMatchLikeAnsiblesFnmatch() {
        assertThat(AptModule.versionMatches("7.88*", "7.88.1-10")).isTrue();
        assertThat(AptModule.versionMatches("7.88.1-10", "7.88.1-10")).isTrue();
        assertThat(AptModule.versionMatches("7.89*", "7.88.1-10")).isFalse();
    }

    @Test
    void nothingToDoIsAnError() {
        Result r = new AptModule().run(ModuleTestSupport.local(), args());
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("one of the following is required: name, update_cache");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = AptModuleTest.class.getResourceAsStream("/apt/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
