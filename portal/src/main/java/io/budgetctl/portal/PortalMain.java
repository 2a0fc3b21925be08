package io.budgetctl.portal;

import io.budgetctl.security.Ed25519Keys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar portal.jar [--port N ...]} runs the portal until stopped; {@code java -jar portal.jar keygen DIR}
 * writes a new signing key pair. Configuration errors print one line and a hint and exit 2.
 */
public final class PortalMain {
    private PortalMain() {
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.getenv(), System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            if (!args.isEmpty() && args.get(0).equals("keygen")) {
                if (args.size() != 2) {
                    throw new PortalConfig.ConfigException("usage: portal keygen DIR", "DIR gets licence-signing.key"
                            + " (0600) and licence-signing.pub");
                }
                Path pub = SigningKeys.generate(Path.of(args.get(1)));
                out.println("portal: wrote " + pub + " and its private key (0600); key id "
                        + Ed25519Keys.keyId(Ed25519Keys.publicKey(java.nio.file.Files.readString(pub))));
                return 0;
            }
            PortalServer server = PortalServer.start(PortalConfig.from(args, env), Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "portal-shutdown"));
            out.println("portal: listening on port " + server.port());
            return 0;
        } catch (PortalConfig.ConfigException e) {
            err.println("portal: " + e.getMessage());
            if (e.hint() != null) {
                err.println("  hint: " + e.hint());
            }
            return 2;
        } catch (IOException e) {
            err.println("portal: " + e.getMessage());
            return 2;
        }
    }
}
