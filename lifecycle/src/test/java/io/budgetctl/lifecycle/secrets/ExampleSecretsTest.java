package io.budgetctl.lifecycle.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.Secret;
import io.budgetctl.engine.inventory.Inventory;
import io.budgetctl.lifecycle.repo.DeploymentsRepository;
import io.budgetctl.lifecycle.repo.RepositoryInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example deployments repository decrypts with nothing but its committed demo key: every sops: reference in the
 * client files resolves, through the engine's view of the repository (lazy secrets in each host's client variable).
 */
class ExampleSecretsTest {
    private static final Path EXAMPLE = Path.of("..", "inventory").toAbsolutePath().normalize();
    private static final Pattern REF = Pattern.compile("(sops|vault):[^\\s#]+#[A-Za-z0-9_.-]+");

    @TempDir
    Path home;

    private Inventory inventory(Map<String, String> vars) {
        SecretResolver resolver = new SecretResolver(EXAMPLE, new Sops(TestKeys.env(home, vars)), () -> {
            throw new AssertionError("no Vault secret should be fetched");
        });
        return RepositoryInventory.of(DeploymentsRepository.open(EXAMPLE), resolver);
    }

    @Test
    void everySopsReferenceOfTheExampleClientsDecryptsWithTheDemoKey() throws Exception {
        // given the references written in the client files
        List<String> written = new ArrayList<>();
        try (Stream<Path> files = Files.list(EXAMPLE.resolve("clients"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = REF.matcher(Files.readString(f));
                while (m.find()) {
                    written.add(m.group());
                }
            }
        }
        Inventory inv = inventory(Map.of("SOPS_AGE_KEY_FILE", EXAMPLE.resolve(".demo-age-key.txt").toString()));
        // when every secret in every host's client variable is revealed (Vault ones are left lazy)
        TreeSet<String> revealed = new TreeSet<>();
        int sops = 0;
        for (String host : inv.hostNames()) {
            List<Secret> found = new ArrayList<>();
            collect(inv.hostVars(host).get("client"), found);
            for (Secret s : found) {
                assertThat(s.revealed()).isFalse();
                assertThat(s.toString()).isEqualTo(Secret.MASK);
            }
            String file = Files.readString(EXAMPLE.resolve("clients/" + inv.hostVars(host).get("client_id")
                    + ".yaml"));
            if (!file.contains("vault:")) {
                for (Secret s : found) {
                    revealed.add(s.reveal());
                    sops++;
                }
            }
        }
        // then every sops reference became a secret with a real value, none is left as text
        long sopsWritten = written.stream().filter(r -> r.startsWith("sops:")).count();
        assertThat(sopsWritten).isGreaterThanOrEqualTo(8);
        assertThat(sops).isGreaterThanOrEqualTo((int) sopsWritten);
        assertThat(revealed).allSatisfy(v -> assertThat(v).isNotBlank().doesNotStartWith("ENC[")
                .doesNotStartWith("sops:"));
        assertThat(revealed).anySatisfy(v -> assertThat(v).contains("BEGIN OPENSSH PRIVATE KEY"));
        assertThat(revealed).anySatisfy(v -> assertThat(v).contains("kind: Config"));
        for (String host : inv.hostNames()) {
            assertThat(texts(inv.hostVars(host).get("client"))).noneMatch(t -> REF.matcher(t).matches());
        }
    }

    @Test
    void withoutTheKeyTheInventoryStillBuildsAndARevealFailsWithTheReferenceLocation() {
        // given no age identity at all
        Inventory inv = inventory(Map.of());
        Secret smtp = (Secret) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) inv.hostVars("acme").get("client"))
                .get("integrations")).get("smtp")).get("password");
        // when / then
        assertThatThrownBy(smtp::reveal).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.oneLine())
                .startsWith("clients/acme.yaml:")
                .contains("sops:secrets/acme.sops.yaml#smtp_password"));
        assertThat(smtp.revealed()).isFalse();
    }

    private static void collect(Object v, List<Secret> out) {
        if (v instanceof Secret s) {
            out.add(s);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> collect(x, out));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> collect(x, out));
        }
    }

    private static List<String> texts(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> out.addAll(texts(x)));
        } else if (v instanceof Collection<?> c) {
            c.forEach(x -> out.addAll(texts(x)));
        }
        return out;
    }
}
