package io.budgetctl.engine.testkit;

import java.util.Arrays;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers on the images this machine built itself (scripts/testhosts images, scripts/build-images,
 * scripts/build-portal-image), for the integration tests of every module (shared through the engine's test-jar).
 * Nothing is ever pulled: no registry is reachable here or in CI, and an image pulled under one of our names would
 * not be the one this checkout built. As an {@link ImagePullPolicy} it is also Testcontainers' default
 * (testcontainers.properties), so its own helper images, Ryuk and alpine, are not pulled either when a run lacks the
 * failsafe environment that turns them off (the parent pom.xml).
 */
public final class LocalImages implements ImagePullPolicy {
    /**
     * The label on every container started here, valued with its owner ({@code portal}, {@code testhosts}): a
     * killed run leaves its containers behind (Ryuk is off), and
     * {@code docker rm -f $(docker ps -aq --filter label=budgetctl.test)} removes them.
     */
    public static final String LABEL = "budgetctl.test";

    /** {@code image}, never pulled, labelled for {@code owner}, with {@code ports} published on random loopback ports. */
    public static GenericContainer<?> container(String image, String owner, Integer... ports) {
        GenericContainer<?> c = new Loopback(image)
                .withImagePullPolicy(new LocalImages())
                .withLabel(LABEL, owner)
                .withExposedPorts(ports);
        // loopback only (Testcontainers' default is every interface): the tests' passwords, keys and API tokens are
        // no secret, so the containers must not be reachable from the network
        c.setPortBindings(Arrays.stream(ports).map(p -> "127.0.0.1::" + p).toList());
        return c;
    }

    /** The portal's tests' form: one port, labelled {@code portal}. */
    public static GenericContainer<?> container(String image, int port) {
        return container(image, "portal", port);
    }

    /** Never: a missing image fails the start with Docker's "No such image" naming it. */
    @Override
    public boolean shouldPull(DockerImageName image) {
        return false;
    }

    /**
     * A container reached on loopback, where its ports are published. Testcontainers' own guess of the Docker host's
     * address is the bridge's gateway when the tests run inside a container (/.dockerenv, as on the machine this was
     * written on), and a loopback port does not answer there.
     */
    private static final class Loopback extends GenericContainer<Loopback> {
        Loopback(String image) {
            super(DockerImageName.parse(image));
        }

        @Override
        public String getHost() {
            return "127.0.0.1";
        }
    }
}
