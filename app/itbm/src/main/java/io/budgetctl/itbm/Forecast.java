package io.budgetctl.itbm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * The forecasting module: a least-squares line through the monthly spend of the months seen so far (missing months count
 * as zero), projected over the next months, never below zero.
 */
final class Forecast {
  private Forecast() {}

  record Point(String period, BigDecimal amount) {}

  static List<Point> project(SortedMap<YearMonth, BigDecimal> spend, int months) {
    if (spend.isEmpty() || months <= 0) {
      return List.of();
    }
    YearMonth first = spend.firstKey();
    YearMonth last = spend.lastKey();
    int n = (int) (first.until(last, java.time.temporal.ChronoUnit.MONTHS) + 1);
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < n; i++) {
      double y = spend.getOrDefault(first.plusMonths(i), BigDecimal.ZERO).doubleValue();
      sx += i;
      sy += y;
      sxx += (double) i * i;
      sxy += i * y;
    }
    double denom = n * sxx - sx * sx;
    double slope = denom == 0 ? 0 : (n * sxy - sx * sy) / denom;
    double intercept = (sy - slope * sx) / n;
    List<Point> out = new ArrayList<>();
    for (int k = 1; k <= months; k++) {
      double y = Math.max(0, intercept + slope * (n - 1 + k));
      out.add(new Point(last.plusMonths(k).toString(), BigDecimal.valueOf(y).setScale(2, RoundingMode.HALF_UP)));
    }
    return out;
  }
}
