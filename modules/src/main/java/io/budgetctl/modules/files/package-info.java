/**
 * Modules that act on a file or directory on the host: file, copy, template, lineinfile, blockinfile, replace, stat,
 * slurp, fetch, find, tempfile, unarchive, and get_url (a download is a file written with mode, owner, backup and
 * checksum, which is what this package's helpers do; it shares nothing with uri).
 *
 * <p>Their shared helpers stay package-private, split by concern: {@link io.budgetctl.modules.files.FileModes},
 * {@link io.budgetctl.modules.files.FileProbe}, {@link io.budgetctl.modules.files.FileAttributes},
 * {@link io.budgetctl.modules.files.AtomicPut}, {@link io.budgetctl.modules.files.FileValidate} and
 * {@link io.budgetctl.modules.files.FileSupport}, then what several modules share ({@code FileContentPut} for copy
 * and template, {@code LineEditSupport} for the line editors). Only {@code FileProbe.probe} and
 * {@code readContent} are public: cron reads a {@code cron_file} as these modules read a file.
 */
package io.budgetctl.modules.files;
