package io.budgetctl.engine.exec;

import io.budgetctl.engine.playbook.Play;
import io.budgetctl.engine.playbook.Role;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A play in progress: its hosts, the current batch and its active hosts, handlers (roles' then the play's, plus
 * included ones), roles, and the flags that end the batch, the play or the run. The executor's strategy owns it on
 * the coordinating thread; {@link Handlers}, {@link MetaActions} and {@link Variables} read or change it there.
 */
final class PlayCtx {
    final Play play;
    final List<String> allHosts;
    /** Every host the play's pattern and --limit match, hosts that failed in earlier plays included. */
    final List<String> matchedHosts;
    List<String> batch = List.of();
    final Set<String> active = new LinkedHashSet<>();
    final Handlers handlers;
    final List<Role> roles;
    boolean endPlay;
    boolean endBatch;
    boolean breakPlay;
    /** max_fail_percentage was exceeded in a batch: later batches of this play still run, later plays do not. */
    boolean maxFailBreak;
    /** Hosts already failed when the current batch started (Ansible counts only this batch's new failures). */
    Set<String> failedBeforeBatch = Set.of();

    PlayCtx(Play play, List<String> matchedHosts, List<String> allHosts, Handlers handlers) {
        this.play = play;
        this.matchedHosts = matchedHosts;
        this.allHosts = allHosts;
        this.handlers = handlers;
        this.roles = new ArrayList<>(play.playRoles());
    }
}
