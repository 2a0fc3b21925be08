package io.budgetctl.engine.event;

import io.budgetctl.engine.api.SourceLocation;
import java.util.List;

/** A play starts (or a serial batch of it: {@code hosts} are this batch's hosts). */
public record PlayEvent(String name, String pattern, List<String> hosts, boolean check, SourceLocation location) {
}
