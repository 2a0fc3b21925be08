package io.budgetctl.lifecycle;

import io.budgetctl.engine.event.RunListener;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One lifecycle run for {@link Lifecycle#run}: which customer of which deployments repository, the access.yaml action
 * it is checked against, the playbook and its variables, and where the run reports. Build one with {@link #builder()}.
 *
 * @param repository      the deployments repository's directory (absolute)
 * @param client          the customer (client id)
 * @param action          the access.yaml action the run is authorized for (docs/access.md)
 * @param playbook        the playbook's base name: {@code deploy} runs {@code deploy.yml} of the playbooks directory
 * @param vars            the command's variables, passed as extra vars before {@code extraVars}
 * @param repositoryVars  variables computed from the opened, authorized repository (e.g. deploy's desired version)
 * @param extraVars       the user's {@code -e} values, in order, after the command's variables
 * @param check           check mode
 * @param diff            diff output
 * @param verbosity       the run's verbosity (number of -v)
 * @param devPlaybooks    a development playbooks directory (audited), or null for the installed ones
 * @param codeSource      the jar or classes directory the installed playbooks are found from ({@link Lifecycle#playbookDir})
 * @param listeners       where the run reports (console, JSON lines, step summary ...)
 * @param secretVars      variables whose values are secrets, computed from the opened repository (never in JSON)
 * @param releaseSecretsFirst whether every release secret is read before the run starts (else lazily on use)
 * @param env             the environment budgetctl reads (operator, audit log, SOPS/Vault settings, HOME)
 * @param home            the controller user's home (audit log, operator identity)
 * @param resultFacts     the facts whose values, per host, are the run's result ({@link LifecycleResult#fact}): what
 *                        the playbook declares it sets for the caller (e.g. {@link Lifecycle#RESULT_FACT})
 */
public record LifecycleRequest(Path repository, String client, String action, String playbook,
                               Map<String, Object> vars,
                               Function<DeploymentsRepository, Map<String, Object>> repositoryVars,
                               List<String> extraVars, boolean check, boolean diff, int verbosity, Path devPlaybooks,
                               Path codeSource, List<RunListener> listeners,
                               Function<DeploymentsRepository, Map<String, Object>> secretVars,
                               boolean releaseSecretsFirst, Map<String, String> env, Path home,
                               List<String> resultFacts) {
    public LifecycleRequest {
        vars = vars == null ? Map.of() : vars;
        repositoryVars = repositoryVars == null ? r -> Map.of() : repositoryVars;
        extraVars = extraVars == null ? List.of() : List.copyOf(extraVars);
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        secretVars = secretVars == null ? r -> Map.of() : secretVars;
        env = env == null ? Map.of() : env;
        resultFacts = resultFacts == null ? List.of() : List.copyOf(resultFacts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named fields of a {@link LifecycleRequest}; unset ones are empty, false, 0 or null. */
    public static final class Builder {
        private Path repository;
        private String client;
        private String action;
        private String playbook;
        private Map<String, Object> vars;
        private Function<DeploymentsRepository, Map<String, Object>> repositoryVars;
        private List<String> extraVars;
        private boolean check;
        private boolean diff;
        private int verbosity;
        private Path devPlaybooks;
        private Path codeSource;
        private final List<RunListener> listeners = new ArrayList<>();
        private Function<DeploymentsRepository, Map<String, Object>> secretVars;
        private boolean releaseSecretsFirst;
        private Map<String, String> env;
        private Path home;
        private final List<String> resultFacts = new ArrayList<>();

        private Builder() {
        }

        public Builder repository(Path repository) {
            this.repository = repository;
            return this;
        }

        public Builder client(String client) {
            this.client = client;
            return this;
        }

        public Builder action(String action) {
            this.action = action;
            return this;
        }

        public Builder playbook(String playbook) {
            this.playbook = playbook;
            return this;
        }

        public Builder vars(Map<String, Object> vars) {
            this.vars = vars;
            return this;
        }

        public Builder repositoryVars(Function<DeploymentsRepository, Map<String, Object>> repositoryVars) {
            this.repositoryVars = repositoryVars;
            return this;
        }

        public Builder extraVars(List<String> extraVars) {
            this.extraVars = extraVars;
            return this;
        }

        public Builder check(boolean check) {
            this.check = check;
            return this;
        }

        public Builder diff(boolean diff) {
            this.diff = diff;
            return this;
        }

        public Builder verbosity(int verbosity) {
            this.verbosity = verbosity;
            return this;
        }

        public Builder devPlaybooks(Path devPlaybooks) {
            this.devPlaybooks = devPlaybooks;
            return this;
        }

        public Builder codeSource(Path codeSource) {
            this.codeSource = codeSource;
            return this;
        }

        /** Adds listeners, after those added before. */
        public Builder listeners(List<RunListener> more) {
            listeners.addAll(more);
            return this;
        }

        public Builder secretVars(Function<DeploymentsRepository, Map<String, Object>> secretVars) {
            this.secretVars = secretVars;
            return this;
        }

        public Builder releaseSecretsFirst(boolean releaseSecretsFirst) {
            this.releaseSecretsFirst = releaseSecretsFirst;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = env;
            return this;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Adds variables (registered or set_fact) the run's result is read from, after those added before. */
        public Builder resultFacts(String... names) {
            resultFacts.addAll(List.of(names));
            return this;
        }

        public LifecycleRequest build() {
            return new LifecycleRequest(repository, client, action, playbook, vars, repositoryVars, extraVars, check,
                    diff, verbosity, devPlaybooks, codeSource, listeners, secretVars, releaseSecretsFirst, env, home,
                    resultFacts);
        }
    }
}
