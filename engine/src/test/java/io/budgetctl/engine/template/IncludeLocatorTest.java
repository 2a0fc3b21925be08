package io.budgetctl.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the differential case 03 cannot show: where includes are refused or not found, and the filter block's errors. */
class IncludeLocatorTest {
    private static final SourceLocation LOC = SourceLocation.of("templates/app.conf.j2");

    private final JinjavaTemplater templater = JinjavaTemplater.create();

    @TempDir
    Path tmp;

    @Test
    void givenASearchPath_whenAFileIsIncluded_thenItsTemplatesDirectoryComesFirstAndItsLastNewlineIsDropped()
            throws Exception {
        // given
        Files.createDirectories(tmp.resolve("role/templates"));
        Files.writeString(tmp.resolve("role/templates/part.j2"), "from templates {{ x }}\n");
        Files.writeString(tmp.resolve("role/part.j2"), "from the role dir\n");
        Files.writeString(tmp.resolve("role/other.j2"), "other\n");

        // when
        String out = templater.renderText("[{% include 'part.j2' %}][{% include '/other.j2' %}]", Map.of("x", 1), LOC,
                List.of(tmp.resolve("role")));

        // then: an absolute-looking name is relative to the search path, as Jinja2's FileSystemLoader
        assertThat(out).isEqualTo("[from templates 1][other]");
    }

    @Test
    void givenANameLeavingTheSearchPath_whenIncluded_thenItIsRefused() throws Exception {
        // given
        Files.createDirectories(tmp.resolve("role"));
        Files.writeString(tmp.resolve("secret.txt"), "not for templates");

        // then
        assertThatThrownBy(() -> templater.renderText("{% include '../secret.txt' %}", Map.of(), LOC,
                List.of(tmp.resolve("role"))))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("'..' leaves the search path");
        assertThatThrownBy(() -> templater.renderText("{% include 'nowhere.j2' %}", Map.of(), LOC,
                List.of(tmp.resolve("role"))))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("template not found: nowhere.j2");
    }

    @Test
    void givenAFilterBlock_whenRendered_thenTheChainAppliesAndAnEmptyOneIsAnError() {
        assertThat(templater.renderText("{% filter replace('a', 'o') | upper %}banana {{ x }}{% endfilter %}!",
                Map.of("x", "cat"), LOC)).isEqualTo("BONONO COT!");
        assertThatThrownBy(() -> templater.renderText("{% filter %}x{% endfilter %}", Map.of(), LOC))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("{% filter %} needs a filter");
    }
}
