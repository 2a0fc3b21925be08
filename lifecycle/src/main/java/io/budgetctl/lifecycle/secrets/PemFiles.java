package io.budgetctl.lifecycle.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS material from PEM files, as openssl writes them: certificates, unencrypted PKCS#8 private keys, and the trust
 * managers that trust given CAs. Used for Vault ({@code VAULT_CACERT}) and the audit log's syslog collector.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
            Pattern.DOTALL);

    private PemFiles() {
    }

    /** Every certificate in the file (a CA bundle or a chain, leaf first); empty when it holds none. */
    public static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        }
        return certs;
    }

    /** Trust managers that trust exactly {@code cas} (instead of the JVM's CAs). */
    public static TrustManager[] trusting(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : cas) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /**
     * The file's {@code PRIVATE KEY} block (PKCS#8, RSA, EC or Ed25519). Other forms are refused with the openssl
     * command that converts them: Java reads neither PKCS#1 ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY})
     * nor encrypted keys without a password prompt we do not have.
     */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
                for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448")) {
                    try {
                        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisOne) {
                        // try the next algorithm
                    }
                }
                throw new GeneralSecurityException(file + " holds a PKCS#8 key of an algorithm Java cannot read");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new GeneralSecurityException(file + " holds a '" + type + "' block; convert it to unencrypted"
                        + " PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName() + " -out key.pem");
            }
        }
        throw new GeneralSecurityException("no 'BEGIN PRIVATE KEY' block in " + file);
    }
}
