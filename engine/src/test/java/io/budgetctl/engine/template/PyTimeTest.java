package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's strptime rules that the differential cases do not reach (time.strptime's leap seconds, bad dates). */
class PyTimeTest {

    @Test
    void givenTimeStrptimeInput_whenParsed_thenLeapSecondsPassAndDatetimeRefusesThem() {
        assertThat(PyTime.parse("201612312359.60", "%Y%m%d%H%M.%S"))
                .isEqualTo(new PyTime.Parsed(2016, 12, 31, 23, 59, 60, 0, -1));
        assertThatThrownBy(() -> JinjavaTemplater.create().renderText("{{ '23:59:60' | to_datetime('%H:%M:%S') }}",
                Map.of(), SourceLocation.of("t.j2")))
                .isInstanceOf(EngineException.class).hasMessageContaining("second must be in 0..59");
    }

    @Test
    void givenBadInput_whenParsed_thenPythonsWordsAreGiven() {
        assertThatThrownBy(() -> PyTime.parse("2016-02-30", "%Y-%m-%d"))
                .hasMessage("day is out of range for month");
        assertThatThrownBy(() -> PyTime.parse("2016", "%Q"))
                .hasMessage("'Q' is a bad directive in format '%Q'");
        assertThatThrownBy(() -> PyTime.parse("25:00", "%H:%M"))
                .hasMessage("time data '25:00' does not match format '%H:%M'");
    }

    @Test
    void givenADayOfTheYear_whenReadAlone_thenItNamesTheDate() {
        assertThat(JinjavaTemplater.create().renderText("{{ '2016 060' | to_datetime('%Y %j') }}", Map.of(),
                SourceLocation.of("t.j2"))).isEqualTo("2016-02-29 00:00:00");
    }

    @Test
    void givenNowCalledWrongly_whenRendered_thenPythonsBindingErrorsAreGiven() {
        JinjavaTemplater t = JinjavaTemplater.create();
        assertThatThrownBy(() -> t.renderText("{{ now(zone='x') }}", Map.of(), SourceLocation.of("t.j2")))
                .isInstanceOf(EngineException.class).hasMessageContaining("zone");
        assertThatThrownBy(() -> t.renderText("{{ now(true, '%Y', 3) }}", Map.of(), SourceLocation.of("t.j2")))
                .isInstanceOf(EngineException.class).hasMessageContaining("now() takes at most 2 positional");
        assertThat(t.renderText("{{ now(fmt='%Y') | length }}", Map.of(), SourceLocation.of("t.j2"))).isEqualTo("4");
    }
}
