package io.budgetctl.lifecycle.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The product modules a customer can enable (IT Budget Manager's licensable features). The list belongs to the
 * product, not to the engine: it is {@code $defs/knownModules} of {@code schemas/client.schema.json}, the
 * definition of the client file, read here from the copy bundled in the jar.
 */
public final class ProductModules {
    /** Every known module, in the order the documentation lists them. */
    public static final List<String> KNOWN = load(SchemaCheck.resource("client.schema.json"));

    private ProductModules() {
    }

    static List<String> load(String clientSchema) {
        try {
            JsonNode known = new ObjectMapper().readTree(clientSchema).path("$defs").path("knownModules").path("enum");
            if (!known.isArray() || known.isEmpty()) {
                throw new IllegalStateException("client.schema.json has no $defs/knownModules/enum list");
            }
            List<String> names = new ArrayList<>();
            known.forEach(n -> names.add(n.asText()));
            return List.copyOf(names);
        } catch (IOException e) {
            throw new IllegalStateException("bundled client.schema.json is not JSON", e);
        }
    }
}
