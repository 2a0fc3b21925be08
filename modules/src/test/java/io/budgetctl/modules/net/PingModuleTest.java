package io.budgetctl.modules.net;

import static io.budgetctl.modules.ModuleTestSupport.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.budgetctl.engine.connection.Become;
import io.budgetctl.engine.connection.LocalConnection;
import io.budgetctl.engine.module.ModuleContext;
import io.budgetctl.engine.module.Result;
import io.budgetctl.engine.module.SimpleModuleContext;
import io.budgetctl.engine.template.JinjavaTemplater;
import io.budgetctl.modules.ModuleTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ping: proves the connection by running {@code true} on the host (its tests were in UtilityModulesTest). */
class PingModuleTest {

    @Test
    void pingRunsTrueOnTheHostAndAnswersPong() {
        Result r = new PingModule().run(ModuleTestSupport.local(), args());
        assertThat(r).isInstanceOf(Result.Ok.class);
        assertThat(r.data()).isEqualTo(Map.of("ping", "pong"));
    }

    @Test
    void pingFailsWhenTheHostCannotRunACommand() {
        // given: become to a user that does not exist, so the host refuses to run anything
        ModuleContext ctx = new SimpleModuleContext("broken", new LocalConnection("broken"), false, false,
                new Become(true, "su", "no-such-user-budgetctl", null), null, null, new JinjavaTemplater(),
                ModuleTestSupport.LOC, List.of());
        // when
        Result r = new PingModule().run(ctx, args());
        // then
        assertThat(r).isInstanceOf(Result.Failed.class);
        assertThat(r.msg()).startsWith("running 'true' on broken failed with exit code ");
    }
}
