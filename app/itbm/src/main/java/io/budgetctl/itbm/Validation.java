package io.budgetctl.itbm;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Input checks of the API, each failing with a 400 that names the field. */
final class Validation {
  private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,19}");

  private Validation() {}

  static String period(String value, String field) {
    if (value == null || !PERIOD.matcher(value).matches()) {
      throw new ApiException(400, field + " must be a month as YYYY-MM, got " + quote(value));
    }
    return value;
  }

  static String code(JsonNode body, String field) {
    String v = text(body, field);
    if (!CODE.matcher(v).matches()) {
      throw new ApiException(400, field + " must be 1-20 letters, digits, '-' or '_', got " + quote(v));
    }
    return v;
  }

  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new ApiException(400, field + " is required (text)");
    }
    return n.asText().strip();
  }

  static BigDecimal amount(JsonNode body, String field, boolean allowZero) {
    JsonNode n = body.get(field);
    BigDecimal v;
    try {
      v = n == null || n.isNull() ? null : new BigDecimal(n.asText());
    } catch (NumberFormatException e) {
      v = null;
    }
    if (v == null) {
      throw new ApiException(400, field + " is required (a number such as 1250.50)");
    }
    if (v.scale() > 2) {
      throw new ApiException(400, field + " has more than two decimals: " + v.toPlainString());
    }
    if (v.signum() < 0 || (!allowZero && v.signum() == 0)) {
      throw new ApiException(400, field + " must be " + (allowZero ? "zero or more" : "more than zero") + ", got " + v.toPlainString());
    }
    if (v.precision() - v.scale() > 12) {
      throw new ApiException(400, field + " is too large: " + v.toPlainString());
    }
    return v;
  }

  static LocalDate date(JsonNode body, String field) {
    String v = text(body, field);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, field + " must be a date as YYYY-MM-DD, got " + quote(v));
    }
  }

  private static String quote(String v) {
    return v == null ? "nothing" : "'" + v + "'";
  }
}
