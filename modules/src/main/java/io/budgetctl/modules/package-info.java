/**
 * budgetctl's built-in modules, grouped by what they act on, and the little every kind shares.
 *
 * <p>This package holds only what modules of more than one kind need, each piece public for that reason alone:
 * {@link io.budgetctl.modules.ModuleBase} (name, argument spec and check-mode support given once; arguments
 * checked and typed before {@code apply}), {@link io.budgetctl.modules.BadArgument} (a value a module cannot use;
 * a failed result with its message), {@link io.budgetctl.modules.HostCommands} (argv and fixed scripts as the
 * task's become user) and {@link io.budgetctl.modules.ModuleOutput} (result maps, output lines and times as
 * Ansible's Python prints them). A helper that serves one kind lives in that kind's package and stays
 * package-private there.
 *
 * <p>The kinds: {@code files} (a file or directory on the host, and what reads or writes one: file, copy,
 * template, lineinfile, blockinfile, replace, stat, slurp, fetch, find, tempfile, unarchive, get_url),
 * {@code commands} (a program the task names: command, shell, script, raw), {@code docker} (the host's Docker
 * engine: docker_compose, docker_image, docker_login), {@code net} (the host's reachability and the network from
 * it: ping, wait_for_connection, wait_for, uri), {@code system} (the host's configuration: apt, systemd, user,
 * cron) and {@code logic} (never touches the host: debug, fail, assert, set_fact, pause). A new module goes to the
 * kind of what it changes or reads, is listed in {@code META-INF/services/io.budgetctl.engine.module.Module} and
 * gets its line in ModuleRegistrationTest.
 */
package io.budgetctl.modules;
