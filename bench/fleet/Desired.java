import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.plan.DesiredState;
import java.nio.file.Path;

/**
 * bench/fleet's helper, run as a single source file on budgetctl's jar: for each customer id, the version and the
 * configuration fingerprint that 'budgetctl deploy' computes from the repository (DesiredState, as DeployCommand:
 * no --version, no image prefix, -e values that are SSH access only). The bench writes them into a release.json on
 * the test host so that the customer's deploy finds it up to date. Prints "id<TAB>version<TAB>fingerprint" lines.
 */
public final class Desired {
    public static void main(String[] args) {
        DeploymentsRepository repo = DeploymentsRepository.open(Path.of(args[0]));
        for (String id : repo.clientIds()) {
            DesiredState want = DesiredState.of(repo, id, null, "");
            System.out.println(id + "\t" + want.version() + "\t" + want.fingerprint());
        }
    }
}
