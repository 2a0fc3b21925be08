package io.budgetctl.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One requested or granted resource scope, {@code type:name:actions} as in the registry's token specification, e.g.
 * {@code repository:itbm/backend:pull,push}. The type may carry a class ({@code repository(plugin)}); the name may
 * hold ':' (the actions follow the last one, the type ends at the first).
 */
record Scope(String type, String name, Set<String> actions) {
  Scope {
    if (type.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("scope needs a type and a name");
    }
    actions = Set.copyOf(new LinkedHashSet<>(actions));
  }

  /** Parses one scope; empty action lists are allowed (the registry asks for none on some calls). */
  static Scope parse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last == first) {
      throw new IllegalArgumentException("scope '" + printable(text) + "' is not type:name:actions");
    }
    String type = text.substring(0, first);
    int paren = type.indexOf('(');
    if (paren > 0 && type.endsWith(")")) {
      type = type.substring(0, paren);  // repository(plugin) -> repository; the class does not change access
    }
    Set<String> actions = new LinkedHashSet<>();
    for (String a : text.substring(last + 1).split(",")) {
      if (!a.isBlank()) {
        actions.add(a.strip());
      }
    }
    return new Scope(type, text.substring(first + 1, last), actions);
  }

  /** Every scope of a token request: the {@code scope} parameter may repeat and may hold several, space-separated. */
  static List<Scope> parseAll(List<String> params) {
    List<Scope> out = new ArrayList<>();
    for (String p : params) {
      for (String s : p.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          out.add(parse(s));
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return type + ":" + name + ":" + String.join(",", actions.stream().sorted().toList());
  }

  /** Text safe for one log line: control characters and overlong input replaced. */
  static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    StringBuilder b = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return b.toString();
  }
}
