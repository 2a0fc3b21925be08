package io.budgetctl.engine.event;

/** Per-host outcome of a task, as the PLAY RECAP counts them. */
public enum Status { OK, CHANGED, SKIPPED, FAILED, UNREACHABLE, RESCUED, IGNORED }
