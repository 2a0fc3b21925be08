package io.budgetctl.cli;

/** {@code --output}: human (Ansible-like console) or json (one JSON object per line). */
enum OutputFormat { human, json }
