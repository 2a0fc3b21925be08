package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class CronTest {
  static final LocalDateTime T = LocalDateTime.of(2026, 12, 6, 10, 17, 42);

  @Test
  void everyHourRunsAtMinuteZero() {
    // given
    Cron c = Cron.parse("ONEC_SCHEDULE", "0 * * * *");
    // then
    assertThat(c.next(T)).isEqualTo(LocalDateTime.of(2026, 12, 6, 11, 0));
    assertThat(c.matches(LocalDateTime.of(2026, 12, 6, 11, 0))).isTrue();
    assertThat(c.matches(LocalDateTime.of(2026, 12, 6, 11, 1))).isFalse();
  }

  @Test
  void theNightlyExchangeOfTheExampleRunsAt0230() {
    assertThat(Cron.parse("s", "30 2 * * *").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 7, 2, 30));
  }

  @Test
  void stepsRangesAndListsAsCrontabReadsThem() {
    assertThat(Cron.parse("s", "*/15 * * * *").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 6, 10, 30));
    assertThat(Cron.parse("s", "5-10/5,40 9-17 * * *").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 6, 10, 40));
    assertThat(Cron.parse("s", "0 */2 * * *").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 6, 12, 0));
    assertThat(Cron.parse("s", "* * * * *").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 6, 10, 18));
  }

  @Test
  void dayOfWeekSevenIsSundayAndEitherDayFieldMatchesWhenBothAreSet() {
    // 2026-12-06 is a Sunday
    assertThat(Cron.parse("s", "0 3 * * 7").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 13, 3, 0));
    assertThat(Cron.parse("s", "0 3 * * 1").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 7, 3, 0));
    // day 1 of the month OR a Wednesday: Wednesday 9 December comes first
    assertThat(Cron.parse("s", "0 0 1 * 3").next(T)).isEqualTo(LocalDateTime.of(2026, 12, 9, 0, 0));
    assertThat(Cron.parse("s", "0 0 1 1 *").next(T)).isEqualTo(LocalDateTime.of(2027, 1, 1, 0, 0));
  }

  @Test
  void badExpressionsNameTheSettingAndTheField() {
    assertThatThrownBy(() -> Cron.parse("ONEC_SCHEDULE", "hourly")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("ONEC_SCHEDULE='hourly' is not a 5-field cron expression");
    assertThatThrownBy(() -> Cron.parse("ONEC_SCHEDULE", "61 * * * *")).hasMessageContaining("minute 61 is outside 0-59");
    assertThatThrownBy(() -> Cron.parse("ONEC_SCHEDULE", "0 5-2 * * *")).hasMessageContaining("runs backwards");
    assertThatThrownBy(() -> Cron.parse("ONEC_SCHEDULE", "0 0 * JAN *")).hasMessageContaining("month 'JAN'");
    assertThatThrownBy(() -> Cron.parse("ONEC_SCHEDULE", "0 0 31 2 *").next(T)).hasMessageContaining("never runs");
  }
}
