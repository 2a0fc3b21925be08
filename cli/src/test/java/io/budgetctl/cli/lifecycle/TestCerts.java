package io.budgetctl.cli.lifecycle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for the preflight and external-database tests, made with the openssl of this machine. */
final class TestCerts {
    private TestCerts() {
    }

    /**
     * A self-signed certificate for {@code name} valid {@code from}..{@code until} ({@code openssl ca} sets both
     * dates, so it can be expired or not yet valid): {@code dir/file.crt} and {@code dir/file.key}; returns
     * {@code dir/file}.
     */
    static Path selfSigned(Path dir, String file, String name, Instant from, Instant until) throws Exception {
        Path ca = Files.createDirectories(dir.resolve("ca-" + file));
        Files.writeString(ca.resolve("index.txt"), "");
        Files.writeString(ca.resolve("cnf"), String.join("\n", "[ca]", "default_ca = d", "[d]",
                "database = " + ca.resolve("index.txt"), "new_certs_dir = " + ca, "serial = " + ca.resolve("serial"),
                "default_md = sha256", "policy = p", "copy_extensions = copy", "unique_subject = no", "[p]",
                "commonName = supplied", ""));
        Path base = dir.resolve(file);
        exec("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", base + ".key", "-out",
                ca.resolve("r.csr").toString(), "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        exec("openssl", "ca", "-batch", "-notext", "-config", ca.resolve("cnf").toString(), "-selfsign", "-keyfile",
                base + ".key", "-in", ca.resolve("r.csr").toString(), "-out", base + ".crt", "-rand_serial",
                "-startdate", f.format(from), "-enddate", f.format(until));
        return base;
    }

    /** A certificate authority {@code name} valid for two days: {@code dir/file.crt}, {@code dir/file.key}. */
    static Path authority(Path dir, String file, String name) throws Exception {
        Path base = dir.resolve(file);
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", base + ".key",
                "-out", base + ".crt", "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return base;
    }

    /**
     * A server certificate for {@code names} (the first is the subject, all are DNS names of the subjectAltName)
     * signed by the authority {@code ca} ({@link #authority}), valid for two days: {@code dir/file.crt},
     * {@code dir/file.key}.
     */
    static Path issued(Path dir, String file, Path ca, String... names) throws Exception {
        Path base = dir.resolve(file);
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", base + ".key",
                "-out", base + ".crt", "-subj", "/CN=" + names[0], "-addext", "subjectAltName="
                        + String.join(",", java.util.Arrays.stream(names).map(n -> "DNS:" + n).toList()),
                "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth",
                "-CA", ca + ".crt", "-CAkey", ca + ".key");
        return base;
    }

    /** Runs {@code cmd}; its output (stdout and stderr), or an exception when it fails. */
    static String exec(String... cmd) throws Exception {
        return exec(List.of(cmd));
    }

    static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
