package io.budgetctl.lifecycle.licence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.budgetctl.engine.api.EngineException;
import io.budgetctl.engine.api.SourceLocation;
import io.budgetctl.security.Ed25519Keys;
import java.io.IOException;
import java.security.PublicKey;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A licence file as the portal signs it and IT Budget Manager verifies it: {@code {"payload": base64(JSON),
 * "signature": base64(Ed25519 over the payload bytes), "key_id": ...}}. The payload says customer, licence id,
 * modules, limits, valid_from and expires. {@code key_id} (first 16 hex of the SHA-256 of the public key's X.509
 * encoding) only picks the trusted key to try; the signature decides. Keys are read, their ids computed and signatures
 * checked by budgetctl-security's {@link Ed25519Keys}, the portal's own code for the same.
 */
public record SignedLicence(String licenceId, String customer, List<String> modules, Map<String, Long> limits,
                            LocalDate expires, String keyId, byte[] file) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A public key budgetctl trusts, with the file it came from. */
    public record TrustedKey(String keyId, PublicKey key, String base64, String source) {
    }

    /** Reads a trusted key file (base64 of the X.509 encoding, as {@code .pub} files are written). */
    public static TrustedKey trustedKey(String source, String text) {
        try {
            PublicKey k = Ed25519Keys.publicKey(text);
            return new TrustedKey(Ed25519Keys.keyId(k), k, text.strip(), source);
        } catch (IllegalArgumentException e) {
            throw new EngineException(SourceLocation.of(source), "not a base64 X.509 Ed25519 public key",
                    "trusted keys are the portal's .pub files (GET /api/v1/keys shows them)");
        }
    }

    /**
     * Verifies {@code file} against {@code keys} and reads its payload.
     *
     * @throws EngineException naming {@code source} when the file is not a licence, no trusted key signed it or the
     *                         payload is incomplete
     */
    public static Verified verify(String source, byte[] file, List<TrustedKey> keys) {
        JsonNode root;
        try {
            root = JSON.readTree(file);
        } catch (IOException e) {
            throw bad(source, "is not a licence file (not JSON)");
        }
        if (root == null || !root.path("payload").isTextual() || !root.path("signature").isTextual()) {
            throw bad(source, "is not a licence file (needs the text fields 'payload' and 'signature')");
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Base64.getDecoder().decode(root.get("payload").asText());
            signature = Base64.getDecoder().decode(root.get("signature").asText());
        } catch (IllegalArgumentException e) {
            throw bad(source, "is not a licence file (payload or signature not base64)");
        }
        String hint = root.path("key_id").asText("");
        List<TrustedKey> order = new ArrayList<>();
        keys.stream().filter(k -> k.keyId().equals(hint)).forEach(order::add);
        keys.stream().filter(k -> !k.keyId().equals(hint)).forEach(order::add);
        TrustedKey signer = null;
        for (TrustedKey k : order) {
            if (Ed25519Keys.verify(k.key(), payload, signature)) {
                signer = k;
                break;
            }
        }
        if (signer == null) {
            throw new EngineException(SourceLocation.of(source), "licence signature does not verify with any trusted"
                    + " key" + (hint.isEmpty() ? "" : " (it names key " + hint + ")") + ": changed, or signed by"
                    + " another key", keys.isEmpty() ? "no trusted keys: put the portal's public key(s) in"
                    + " licences/keys/*.pub" : "after a key rotation, add the portal's new public key to licences/keys/");
        }
        JsonNode p;
        try {
            p = JSON.readTree(payload);
        } catch (IOException e) {
            throw bad(source, "has a signed payload that is not JSON");
        }
        String customer = p.path("customer").asText("");
        String id = p.path("licence").asText("");
        if (customer.isEmpty() || id.isEmpty()) {
            throw bad(source, "names no customer or licence id");
        }
        LocalDate expires;
        try {
            expires = LocalDate.parse(p.path("expires").asText(""));
        } catch (DateTimeParseException e) {
            throw bad(source, "has no valid 'expires' date");
        }
        List<String> modules = new ArrayList<>();
        for (JsonNode m : p.path("modules")) {
            modules.add(m.asText());
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.path("limits").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            limits.put(e.getKey(), e.getValue().asLong());
        }
        return new Verified(new SignedLicence(id, customer, List.copyOf(modules), limits, expires, signer.keyId(),
                file.clone()), signer);
    }

    /** A verified licence and the trusted key that verified it. */
    public record Verified(SignedLicence licence, TrustedKey key) {
    }

    private static EngineException bad(String source, String what) {
        return new EngineException(SourceLocation.of(source), "the licence " + what,
                "the portal answered something that is not a signed licence; check its URL (docs/licence-portal.md)");
    }
}
