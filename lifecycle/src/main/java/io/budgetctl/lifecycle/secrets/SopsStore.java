package io.budgetctl.lifecycle.secrets;

import java.util.List;
import java.util.Map;

/** One file flavour of SOPS (YAML, JSON, dotenv): how a document is read into branches and written back. */
interface SopsStore {
    /** The branches of a plaintext document (YAML may hold several documents). */
    List<Branch> loadPlain(String text, String label);

    /**
     * Takes the {@code sops} metadata out of loaded branches and returns it as a plain map, or null when the document
     * has none.
     */
    Map<String, Object> extractMetadata(List<Branch> branches);

    String emitPlain(List<Branch> branches);

    String emitEncrypted(List<Branch> branches, SopsMetadata metadata);
}
