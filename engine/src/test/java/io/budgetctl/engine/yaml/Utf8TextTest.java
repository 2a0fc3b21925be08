package io.budgetctl.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8TextTest {

    @Test
    void a_latin1_byte_is_named_with_line_column_and_byte_offset(@TempDir Path dir) throws Exception {
        // given "café" saved as Latin-1 on line 3, after a line with a multi-byte character
        Path f = dir.resolve("site.yml");
        byte[] head = "- hosts: all\n  # ✓ ok\n  name: caf".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9;
        all[head.length + 1] = '\n';
        Files.write(f, all);

        // when / then
        assertThatThrownBy(() -> Utf8Text.read(f, "site.yml")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.oneLine()).isEqualTo("site.yml:3:12: not valid UTF-8: byte 0xE9 at byte offset "
                    + head.length);
            assertThat(e.hint()).contains("save the file as UTF-8");
        });
    }

    @Test
    void a_multi_byte_character_cut_off_at_the_end_is_reported_where_it_starts() {
        // given "ü" is C3 BC; only C3 is there
        byte[] bytes = {'a', ':', ' ', (byte) 0xC3};

        // when / then
        assertThatThrownBy(() -> Utf8Text.decode(bytes, "x.yml"))
                .hasMessage("not valid UTF-8: byte 0xC3 at byte offset 3")
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.location().toString()).isEqualTo("x.yml:1:4"));
    }

    @Test
    void valid_text_is_returned_unchanged() {
        assertThat(Utf8Text.decode("a: ✓ ü\n".getBytes(StandardCharsets.UTF_8), "x")).isEqualTo("a: ✓ ü\n");
    }
}
