package io.budgetctl.lifecycle.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One line of a fleet journal (docs/fleet.md, "Journal format"). Every line has {@code ts}, {@code run},
 * {@code operator} and {@code event}:
 * <ul>
 *   <li>{@code run_start}: {@code command} (apply, resume), {@code selection}, {@code waves} (name and customer ids
 *       of each wave, in order), {@code options};</li>
 *   <li>{@code resume}: a later controller took the run over; {@code options} as given to resume;</li>
 *   <li>{@code wave_start} / {@code wave_end}: {@code wave} (1-based), {@code wave_name};</li>
 *   <li>{@code customer}: {@code customer}, {@code wave}, {@code state} (queued, running, done, failed, skipped,
 *       interrupted), {@code reason} (why: the failure's one line, the window, the budget), {@code log} (the
 *       per-customer log), {@code seconds} (for done and failed);</li>
 *   <li>{@code budget_exceeded}: {@code reason};</li>
 *   <li>{@code cancel}: {@code reason} (who asked, when, why): no new customer starts, running ones finish;</li>
 *   <li>{@code pause}: {@code seconds} before the next wave;</li>
 *   <li>{@code run_end}: {@code reason} (a one-line summary).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEvent(
        @JsonProperty("ts") String ts,
        @JsonProperty("run") String run,
        @JsonProperty("operator") String operator,
        @JsonProperty("event") String event,
        @JsonProperty("customer") String customer,
        @JsonProperty("wave") Integer wave,
        @JsonProperty("wave_name") String waveName,
        @JsonProperty("state") String state,
        @JsonProperty("reason") String reason,
        @JsonProperty("log") String log,
        @JsonProperty("seconds") Double seconds,
        @JsonProperty("command") String command,
        @JsonProperty("selection") String selection,
        @JsonProperty("waves") List<WaveEntry> waves,
        @JsonProperty("options") Map<String, Object> options) {

    /** A wave as the run_start line records it. */
    public record WaveEntry(@JsonProperty("name") String name, @JsonProperty("customers") List<String> customers) {
    }

    public static final String RUN_START = "run_start";
    public static final String RESUME = "resume";
    public static final String WAVE_START = "wave_start";
    public static final String WAVE_END = "wave_end";
    public static final String CUSTOMER = "customer";
    public static final String BUDGET_EXCEEDED = "budget_exceeded";
    public static final String PAUSE = "pause";
    public static final String CANCEL = "cancel";
    public static final String RUN_END = "run_end";

    static JournalEvent of(String ts, String run, String operator, String event) {
        return new JournalEvent(ts, run, operator, event, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    JournalEvent customer(String id, int waveNo, CustomerState st, String why, String logPath, Double secs) {
        return new JournalEvent(ts, run, operator, CUSTOMER, id, waveNo, null, st.word(), why, logPath, secs, null,
                null, null, null);
    }

    JournalEvent wave(int waveNo, String name) {
        return new JournalEvent(ts, run, operator, event, null, waveNo, name, null, null, null, null, null, null,
                null, null);
    }

    JournalEvent reason(String why) {
        return new JournalEvent(ts, run, operator, event, customer, wave, waveName, state, why, log, seconds,
                command, selection, waves, options);
    }

    JournalEvent seconds(double secs) {
        return new JournalEvent(ts, run, operator, event, customer, wave, waveName, state, reason, log, secs,
                command, selection, waves, options);
    }

    JournalEvent start(String cmd, String sel, List<WaveEntry> ws, Map<String, Object> opts) {
        return new JournalEvent(ts, run, operator, event, null, null, null, null, null, null, null, cmd, sel, ws,
                opts);
    }

    /** The state of a customer line; null for other events. */
    public CustomerState customerState() {
        return state == null ? null : CustomerState.of(state);
    }
}
