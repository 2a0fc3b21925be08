package io.budgetctl.itbm;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** All SQL of the product. One short-lived connection per call: small, and nothing to leak across requests. */
final class Store {
  private final Config config;

  Store(Config config) {
    this.config = config;
  }

  Connection connect() throws SQLException {
    DriverManager.setLoginTimeout(5);
    return DriverManager.getConnection(config.databaseUrl(), config.databaseUser(), config.databasePassword());
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  <T> T with(Work<T> work) {
    try (Connection c = connect()) {
      return work.run(c);
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw new ApiException(409, "already exists: " + e.getMessage().lines().findFirst().orElse(""));
      }
      throw new ApiException(503, "database error: " + e.getMessage());
    }
  }

  List<Map<String, Object>> costCentres() {
    return with(c -> rows(c, "SELECT code, name FROM cost_centres ORDER BY code"));
  }

  Map<String, Object> addCostCentre(String code, String name) {
    return with(c -> rows(c, "INSERT INTO cost_centres (code, name) VALUES (?, ?) RETURNING code, name", code, name).get(0));
  }

  Map<String, Object> setBudget(String centre, String period, BigDecimal amount) {
    return with(c -> {
      long id = centreId(c, centre);
      return rows(c, "INSERT INTO budgets (cost_centre_id, period, amount) VALUES (?, ?, ?) "
          + "ON CONFLICT (cost_centre_id, period) DO UPDATE SET amount = EXCLUDED.amount "
          + "RETURNING CAST(? AS text) AS cost_centre, period, amount", id, period, amount, centre).get(0);
    });
  }

  List<Map<String, Object>> budgets(String period) {
    return with(c -> rows(c, "SELECT cc.code AS cost_centre, b.period, b.amount FROM budgets b "
        + "JOIN cost_centres cc ON cc.id = b.cost_centre_id WHERE b.period = ? ORDER BY cc.code", period));
  }

  Map<String, Object> addExpense(String centre, LocalDate spentOn, BigDecimal amount, String description, String category) {
    return with(c -> {
      long id = centreId(c, centre);
      if (category == null) {
        return rows(c, "INSERT INTO expenses (cost_centre_id, spent_on, amount, description) VALUES (?, ?, ?, ?) "
            + "RETURNING id, CAST(? AS text) AS cost_centre, spent_on, amount, description", id, spentOn, amount, description, centre).get(0);
      }
      List<Map<String, Object>> cat = rows(c, "SELECT id FROM expense_categories WHERE code = ?", category);
      if (cat.isEmpty()) {
        throw new ApiException(404, "no expense category '" + category + "'");
      }
      return rows(c, "INSERT INTO expenses (cost_centre_id, spent_on, amount, description, category_id) VALUES (?, ?, ?, ?, ?) "
          + "RETURNING id, CAST(? AS text) AS cost_centre, spent_on, amount, description, CAST(? AS text) AS category",
          id, spentOn, amount, description, cat.get(0).get("id"), centre, category).get(0);
    });
  }

  List<Map<String, Object>> expenses(String period, boolean withCategory) {
    YearMonth ym = YearMonth.parse(period);
    String sql = withCategory
        ? "SELECT e.id, cc.code AS cost_centre, e.spent_on, e.amount, e.description, ec.code AS category FROM expenses e "
            + "JOIN cost_centres cc ON cc.id = e.cost_centre_id JOIN expense_categories ec ON ec.id = e.category_id "
        : "SELECT e.id, cc.code AS cost_centre, e.spent_on, e.amount, e.description FROM expenses e "
            + "JOIN cost_centres cc ON cc.id = e.cost_centre_id ";
    return with(c -> rows(c, sql + "WHERE e.spent_on BETWEEN ? AND ? ORDER BY e.spent_on, e.id",
        ym.atDay(1), ym.atEndOfMonth()));
  }

  List<Map<String, Object>> categories() {
    return with(c -> rows(c, "SELECT code, name FROM expense_categories ORDER BY code"));
  }

  Map<String, Object> addCategory(String code, String name) {
    return with(c -> rows(c, "INSERT INTO expense_categories (code, name) VALUES (?, ?) RETURNING code, name", code, name).get(0));
  }

  /** Budget, spent and remaining per cost centre for one month, plus the grand totals. */
  Map<String, Object> totals(String period) {
    YearMonth ym = YearMonth.parse(period);
    return with(c -> {
      List<Map<String, Object>> centres = rows(c,
          "SELECT cc.code AS cost_centre, cc.name, COALESCE(b.amount, 0) AS budget, "
              + "COALESCE((SELECT SUM(e.amount) FROM expenses e WHERE e.cost_centre_id = cc.id "
              + "AND e.spent_on BETWEEN ? AND ?), 0) AS spent "
              + "FROM cost_centres cc LEFT JOIN budgets b ON b.cost_centre_id = cc.id AND b.period = ? ORDER BY cc.code",
          ym.atDay(1), ym.atEndOfMonth(), period);
      BigDecimal budget = BigDecimal.ZERO;
      BigDecimal spent = BigDecimal.ZERO;
      for (Map<String, Object> r : centres) {
        BigDecimal b = (BigDecimal) r.get("budget");
        BigDecimal s = (BigDecimal) r.get("spent");
        r.put("remaining", b.subtract(s));
        budget = budget.add(b);
        spent = spent.add(s);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("period", period);
      out.put("budget", budget);
      out.put("spent", spent);
      out.put("remaining", budget.subtract(spent));
      out.put("cost_centres", centres);
      return out;
    });
  }

  SortedMap<YearMonth, BigDecimal> monthlySpend() {
    return with(c -> {
      SortedMap<YearMonth, BigDecimal> m = new TreeMap<>();
      for (Map<String, Object> r : rows(c, "SELECT to_char(spent_on, 'YYYY-MM') AS p, SUM(amount) AS s FROM expenses GROUP BY 1")) {
        m.put(YearMonth.parse((String) r.get("p")), (BigDecimal) r.get("s"));
      }
      return m;
    });
  }

  void saveReport(String kind, String period, String json) {
    with(c -> rows(c, "INSERT INTO reports (kind, period, body) VALUES (?, ?, ?::jsonb) "
        + "ON CONFLICT (kind, period) DO UPDATE SET body = EXCLUDED.body, created_at = now() RETURNING id", kind, period, json));
  }

  List<Map<String, Object>> reports() {
    return with(c -> rows(c, "SELECT kind, period, body::text AS body, created_at FROM reports ORDER BY period DESC, kind"));
  }

  private static long centreId(Connection c, String code) throws SQLException {
    List<Map<String, Object>> r = rows(c, "SELECT id FROM cost_centres WHERE code = ?", code);
    if (r.isEmpty()) {
      throw new ApiException(404, "no cost centre '" + code + "'");
    }
    return ((Number) r.get(0).get("id")).longValue();
  }

  static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        ps.setObject(i + 1, p instanceof LocalDate d ? java.sql.Date.valueOf(d) : p);
      }
      boolean hasRows = ps.execute();
      List<Map<String, Object>> out = new ArrayList<>();
      if (!hasRows) {
        return out;
      }
      try (ResultSet rs = ps.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            row.put(md.getColumnLabel(i), v instanceof java.sql.Date d ? d.toLocalDate().toString()
                : v instanceof java.sql.Timestamp t ? t.toInstant().toString() : v);
          }
          out.add(row);
        }
      }
      return out;
    }
  }
}
