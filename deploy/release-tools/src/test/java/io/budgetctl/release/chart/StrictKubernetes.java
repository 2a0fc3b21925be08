package io.budgetctl.release.chart;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests into fabric8's Kubernetes model and rejects every field the model does not know.
 *
 * <p>fabric8's model classes keep unknown fields in an {@code additionalProperties} map through a Jackson any-setter,
 * so FAIL_ON_UNKNOWN_PROPERTIES alone would accept {@code contianers:}. The modifier below drops the any-setter from
 * every bean deserializer, which turns an unknown field into an UnrecognizedPropertyException with its path.
 */
final class StrictKubernetes {

  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "apps/v1/Deployment", Deployment.class,
      "v1/Service", Service.class,
      "batch/v1/Job", Job.class,
      "networking.k8s.io/v1/Ingress", Ingress.class);

  private static final YAMLMapper MAPPER = strictMapper();

  private StrictKubernetes() {
  }

  static YAMLMapper strictMapper() {
    SimpleModule noAnySetter = new SimpleModule("no-additional-properties");
    noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
          BeanDeserializerBuilder builder) {
        builder.setAnySetter(null);
        return builder;
      }
    });
    YAMLMapper mapper = new YAMLMapper();
    mapper.registerModule(noAnySetter);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    return mapper;
  }

  /** Every document of a multi-document YAML stream (empty ones skipped), each as its model class. */
  static List<HasMetadata> parseAll(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        out.add(parse(doc));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static HasMetadata parse(JsonNode doc) {
    String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    Class<? extends HasMetadata> type = KINDS.get(key);
    if (type == null) {
      throw new IllegalArgumentException("unexpected kind " + key + " (known: " + KINDS.keySet() + ")");
    }
    try {
      return MAPPER.treeToValue(doc, type);
    } catch (IOException e) {
      throw new UncheckedIOException(key + " " + doc.path("metadata").path("name").asText() + ": " + e.getMessage(), e);
    }
  }
}
