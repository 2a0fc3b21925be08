package io.budgetctl.portal;

import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers on the images this machine built itself (scripts/build-images, scripts/build-portal-image), for the
 * portal's integration tests. Nothing is ever pulled: no registry is reachable here or in CI, and an image pulled
 * under one of our names would not be the one this checkout built. As an {@link ImagePullPolicy} it is also
 * Testcontainers' default (testcontainers.properties), so its own helper images, Ryuk and alpine, are not pulled
 * either when a run lacks the failsafe environment that turns them off (portal/pom.xml).
 */
public final class LocalImages implements ImagePullPolicy {
    /**
     * The label on every container started here: a killed run leaves its containers behind (Ryuk is off), and
     * {@code docker rm -f $(docker ps -aq --filter label=budgetctl.test=portal)} removes them.
     */
    static final String LABEL = "budgetctl.test";

    /** {@code image}, never pulled, labelled, with {@code port} published on a random loopback port. */
    static GenericContainer<?> container(String image, int port) {
        GenericContainer<?> c = new Loopback(image)
                .withImagePullPolicy(new LocalImages())
                .withLabel(LABEL, "portal")
                .withExposedPorts(port);
        // loopback only, as before Testcontainers (whose default is every interface): the tests' passwords and API
        // tokens are no secret, so the containers must not be reachable from the network
        c.setPortBindings(List.of("127.0.0.1::" + port));
        return c;
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
