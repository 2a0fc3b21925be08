package io.budgetctl.engine.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Each case is what PyYAML's SafeLoader (Ansible's YAML 1.1) gives for the same plain scalar. */
class Yaml11ResolverTest {

    @ParameterizedTest
    @ValueSource(strings = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
    void yamlOneOneTrueWordsAreTrue(String text) {
        assertThat(Yaml11Resolver.resolveAndConstruct(text)).isEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
    void yamlOneOneFalseWordsAreFalse(String text) {
        assertThat(Yaml11Resolver.resolveAndConstruct(text)).isEqualTo(Boolean.FALSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"y", "n", "Y", "N", "tRue", "yES", "0o644", "08", "09", "1e3", "1,000", "2024-01-01",
            "web01", "=", "0x", "0b", "12:60"})
    void otherWordsStayStrings(String text) {
        // given / when
        Object value = Yaml11Resolver.resolveAndConstruct(text);

        // then
        assertThat(value).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0644, 420", "0755, 493", "00, 0", "0, 0", "-0, 0", "+12, 12", "1_000, 1000", "0x1F, 31",
            "0b101, 5", "1_, 1", "0_, 0", "190:20:30, 685230", "1:2, 62", "-0644, -420", "0o7_7, 0o7_7"})
    void integersFollowYamlOneOneIncludingLeadingZeroOctal(String text, String expected) {
        // given / when
        Object value = Yaml11Resolver.resolveAndConstruct(text);

        // then
        if (expected.startsWith("0o")) {
            assertThat(value).isEqualTo(expected);
        } else {
            assertThat(value).isEqualTo(Integer.valueOf(expected));
        }
    }

    @ParameterizedTest
    @CsvSource({"1.5, 1.5", "1.0e+3, 1000.0", ".5, 0.5", "1., 1.0", "3.14_15, 3.1415", "-2.5, -2.5",
            "1:30.5, 90.5"})
    void floatsNeedADot(String text, double expected) {
        assertThat(Yaml11Resolver.resolveAndConstruct(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({".inf, Infinity", "-.Inf, -Infinity", "+.INF, Infinity", ".NaN, NaN"})
    void infinityAndNanAreFloats(String text, double expected) {
        assertThat(Yaml11Resolver.resolveAndConstruct(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"~", "null", "Null", "NULL", ""})
    void nullWordsAreNull(String text) {
        assertThat(Yaml11Resolver.resolveAndConstruct(text)).isNull();
    }

    @org.junit.jupiter.api.Test
    void bigIntegersWidenToLongThenBigInteger() {
        assertThat(Yaml11Resolver.resolveAndConstruct("4294967296")).isEqualTo(4294967296L);
        assertThat(Yaml11Resolver.resolveAndConstruct("99999999999999999999"))
                .isEqualTo(new BigInteger("99999999999999999999"));
    }

    @org.junit.jupiter.api.Test
    void quotedScalarsAreAlwaysStrings() {
        assertThat(Yaml11Resolver.instance().resolve("yes", false)).isEqualTo(Tag.STR);
        assertThat(Yaml11Resolver.instance().resolve("0644", false)).isEqualTo(Tag.STR);
    }

    @org.junit.jupiter.api.Test
    void mergeKeyResolvesToMergeTag() {
        assertThat(Yaml11Resolver.instance().resolve("<<", true)).isEqualTo(Tag.MERGE);
    }
}
