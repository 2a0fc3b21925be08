/**
 * Modules that run a program the task names: command, shell, script and raw. {@code CommandModuleBase} is what
 * command and shell share; {@code CommandSupport} holds shlex splitting, {@code str(timedelta)} and the unstripped
 * result of raw and script. Nothing here is public but the modules.
 */
package io.budgetctl.modules.commands;
