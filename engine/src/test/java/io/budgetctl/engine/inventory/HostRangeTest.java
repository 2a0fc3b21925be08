package io.budgetctl.engine.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostRangeTest {
    @Test
    void numericRangeKeepsZeroPadding() {
        assertThat(HostRange.expand("web[08:10].example.com"))
                .containsExactly("web08.example.com", "web09.example.com", "web10.example.com");
    }

    @Test
    void letterRangeStepAndSeveralRanges() {
        assertThat(HostRange.expand("db-[a:c]")).containsExactly("db-a", "db-b", "db-c");
        assertThat(HostRange.expand("n[0:10:5]")).containsExactly("n0", "n5", "n10");
        assertThat(HostRange.expand("r[1:2]-[a:b]")).containsExactly("r1-a", "r1-b", "r2-a", "r2-b");
        assertThat(HostRange.expand("n[:2]")).containsExactly("n0", "n1", "n2");
    }

    @Test
    void nameWithoutRangeIsItself() {
        assertThat(HostRange.expand("plain")).containsExactly("plain");
    }

    @Test
    void badRangesAreRejected() {
        assertThatThrownBy(() -> HostRange.expand("w[01:3]")).hasMessageContaining("equal-length");
        assertThatThrownBy(() -> HostRange.expand("w[1:]")).hasMessageContaining("end value");
        assertThatThrownBy(() -> HostRange.expand("w[c:a]")).hasMessageContaining("begin <= end");
    }

    @Test
    void portSplitsOffHostKeysButNotIpv6() {
        assertThat(HostRange.splitPort("web1:2222")).isEqualTo(new HostRange.HostKey("web1", 2222));
        assertThat(HostRange.splitPort("web[1:3]:22")).isEqualTo(new HostRange.HostKey("web[1:3]", 22));
        assertThat(HostRange.splitPort("[::1]:2222")).isEqualTo(new HostRange.HostKey("::1", 2222));
        assertThat(HostRange.splitPort("fe80::1")).isEqualTo(new HostRange.HostKey("fe80::1", null));
        assertThat(HostRange.splitPort("web1")).isEqualTo(new HostRange.HostKey("web1", null));
    }
}
