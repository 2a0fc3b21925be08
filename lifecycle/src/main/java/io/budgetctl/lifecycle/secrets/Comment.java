package io.budgetctl.lifecycle.secrets;

/** A comment line of a SOPS tree, its text without the leading {@code #} (what sops keeps in {@code sops.Comment}). */
record Comment(String value) {
}
