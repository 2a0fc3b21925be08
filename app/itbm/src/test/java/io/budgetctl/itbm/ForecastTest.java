package io.budgetctl.itbm;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ForecastTest {
  @Test
  void linearSpendIsProjectedOnItsLineAndGapsCountAsZero() {
    // given: 100, 200, 300 in consecutive months
    TreeMap<YearMonth, BigDecimal> spend = new TreeMap<>();
    spend.put(YearMonth.of(2026, 1), new BigDecimal("100"));
    spend.put(YearMonth.of(2026, 2), new BigDecimal("200"));
    spend.put(YearMonth.of(2026, 3), new BigDecimal("300"));

    // when
    var points = Forecast.project(spend, 2);

    // then
    assertThat(points).containsExactly(new Forecast.Point("2026-04", new BigDecimal("400.00")),
        new Forecast.Point("2026-05", new BigDecimal("500.00")));
  }

  @Test
  void fallingSpendNeverGoesBelowZero() {
    // given: 300 then nothing for two months (a gap, not missing data)
    TreeMap<YearMonth, BigDecimal> spend = new TreeMap<>();
    spend.put(YearMonth.of(2026, 1), new BigDecimal("300"));
    spend.put(YearMonth.of(2026, 3), new BigDecimal("0.01"));

    // when
    var points = Forecast.project(spend, 3);

    // then
    assertThat(points).hasSize(3).allSatisfy(p -> assertThat(p.amount()).isGreaterThanOrEqualTo(BigDecimal.ZERO));
    assertThat(points.get(2).amount()).isEqualByComparingTo("0");
    assertThat(Forecast.project(new TreeMap<>(), 3)).isEmpty();
  }
}
