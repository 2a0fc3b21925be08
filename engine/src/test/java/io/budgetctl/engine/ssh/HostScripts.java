package io.budgetctl.engine.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the test-host extensions share: finding this checkout's scripts and running commands with a state dir. */
final class HostScripts {
    private HostScripts() {
    }

    /** scripts/NAME of this checkout, found from the working directory upwards. */
    static Path script(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts").resolve(name);
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs {@code cmd} with {@code stateVar} pointing at {@code stateDir}; returns stdout and stderr together, and
     * throws with that output when the command fails or outlives {@code timeoutSeconds}.
     */
    static String run(List<String> cmd, String stateVar, Path stateDir, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(stateVar, stateDir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out after " + timeoutSeconds + "s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                    + text.strip());
        }
        return text;
    }
}
