package io.budgetctl.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what: one rule a line, {@code ACCOUNT  REPOSITORY-GLOB  ACTIONS}, e.g.
 * <pre>
 * # account    repositories   actions
 * ci           itbm/*         pull,push
 * pull-acme    itbm/*         pull
 * </pre>
 * In a glob {@code *} matches within one path segment, {@code **} across segments, {@code ?} one character. Actions
 * are pull, push, delete or * (all). Rules only add: an account gets the union of the actions of every rule whose
 * account and glob match, and nothing else (no rule, no access). Only {@code repository} scopes are ever granted.
 */
record Acl(List<Rule> rules) {
  static final Set<String> ACTIONS = Set.of("pull", "push", "delete", "*");

  record Rule(String account, String glob, Pattern pattern, Set<String> actions) {
    Rule {
      actions = Set.copyOf(actions);
    }

    boolean matches(String who, String repository) {
      return account.equals(who) && pattern.matcher(repository).matches();
    }
  }

  Acl {
    rules = List.copyOf(rules);
  }

  static Acl load(Path file) {
    try {
      return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException(file, "cannot read the ACL file: " + e.getMessage(), "scripts/registry up writes it");
    }
  }

  static Acl parse(Path file, List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = hash >= 0 ? line.substring(0, hash) : line;
      if (content.isBlank()) {
        continue;
      }
      String[] f = content.trim().split("\\s+");
      if (f.length != 3) {
        throw new ConfigException(file, i + 1, column(line, content.trim()), "expected 3 fields (account, "
            + "repository glob, actions), found " + f.length, "e.g. 'pull-acme  itbm/*  pull'");
      }
      Set<String> actions = new LinkedHashSet<>();
      for (String a : f[2].split(",")) {
        if (!ACTIONS.contains(a)) {
          throw new ConfigException(file, i + 1, column(line, f[2]), "unknown action '" + Scope.printable(a) + "'",
              "one or more of pull, push, delete, * separated by ','");
        }
        actions.add(a);
      }
      rules.add(new Rule(f[0], f[1], glob(f[1]), actions));
    }
    return new Acl(rules);
  }

  /** The actions of {@code requested} that {@code account} may take: a subset, possibly empty. */
  Set<String> granted(String account, Scope requested) {
    if (!requested.type().equals("repository")) {
      return Set.of();
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (Rule r : rules) {
      if (r.matches(account, requested.name())) {
        allowed.addAll(r.actions());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (String a : requested.actions()) {
      if (allowed.contains("*") || (!a.equals("*") && allowed.contains(a))) {
        out.add(a);
      }
    }
    return out;
  }

  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  private static int column(String line, String part) {
    return Math.max(0, line.indexOf(part)) + 1;
  }
}
