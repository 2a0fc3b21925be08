/**
 * Modules that change the host's configuration: apt (packages), systemd (services), user (accounts) and cron
 * (crontabs; a {@code cron_file} is read with the file modules' {@link io.budgetctl.modules.files.FileProbe}).
 */
package io.budgetctl.modules.system;
