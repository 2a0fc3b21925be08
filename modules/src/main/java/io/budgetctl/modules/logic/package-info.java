/**
 * Modules that steer the play and never touch the host: debug, fail, assert, set_fact and pause.
 */
package io.budgetctl.modules.logic;
