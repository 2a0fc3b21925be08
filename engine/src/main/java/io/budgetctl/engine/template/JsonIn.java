package io.budgetctl.engine.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** from_json: JSON text to Python-like values (dicts keep order, integers are longs, floats doubles). */
final class JsonIn {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private JsonIn() {
    }

    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new TemplateFailure("from_json: " + e.getOriginalMessage(), "the value is not valid JSON");
        }
    }
}
