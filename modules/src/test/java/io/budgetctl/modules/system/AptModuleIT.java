package io.budgetctl.modules.system;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.module.Result;
import io.budgetctl.modules.ModuleTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * apt against this machine's real dpkg database, harmless only: packages that are already installed (nothing
 * runs) and check mode (apt-get -s). Nothing is installed or removed.
 */
class AptModuleIT {

    @Test
    void anInstalledPackageIsOkWithoutRunningAptGet() {
        Result r = new AptModule().run(ModuleTestSupport.local(), args("name", List.of("bash", "coreutils")));
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).doesNotContainKey("stdout");
    }

    @Test
    void aCacheUpdateAloneDoesNotMakeAnInstalledPackageChanged() {
        // check mode: the update is counted, not run; the package is there, so nothing changes (ansible-core's apt)
        Result r = new AptModule().run(ModuleTestSupport.check(), args("name", "bash", "update_cache", true));
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).containsEntry("cache_updated", true);
    }

    @Test
    void checkModePredictsAnInstallWithASimulationAndChangesNothing() {
        // given: a small package that is available but not installed here
        String pkg = "sl";
        assertThat(Path.of("/usr/games/sl")).doesNotExist();
        // when
        Result r = new AptModule().run(ModuleTestSupport.check(), args("name", pkg));
        // then
        assertThat(r).isInstanceOf(Result.Changed.class);
        assertThat((String) r.data().get("stdout")).contains("Inst sl ");
        assertThat(Files.exists(Path.of("/usr/games/sl"))).isFalse();
    }

    @Test
    void checkModeOfAnUnknownPackageFailsLikeAnsible() {
        Result r = new AptModule().run(ModuleTestSupport.check(), args("pkg", "no-such-package-budgetctl"));
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).isEqualTo("No package matching 'no-such-package-budgetctl' is available");
    }

    @Test
    void checkModeOfRemovingAMissingPackageIsOk() {
        Result r = new AptModule().run(ModuleTestSupport.check(), args("name", "sl", "state", "absent"));
        assertThat(r).isInstanceOf(Result.Ok.class);
    }
}
