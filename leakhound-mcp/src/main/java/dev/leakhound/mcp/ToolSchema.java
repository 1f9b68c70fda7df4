package dev.leakhound.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tool's input schema (JSON Schema, as MCP clients read it), built argument by argument. */
final class ToolSchema {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    ToolSchema file(String name, String description) {
        return string(name, description, true);
    }

    ToolSchema string(String name, String description, boolean isRequired) {
        return add(name, isRequired, "type", "string", "description", description);
    }

    ToolSchema files(String name, String description, int min, int max) {
        return add(name, true, "type", "array", "items", Map.of("type", "string"), "minItems", min, "maxItems", max,
                "description", description);
    }

    ToolSchema integer(String name, String description, int dflt, int min, int max) {
        return add(name, false, "type", "integer", "default", dflt, "minimum", min, "maximum", max,
                "description", description);
    }

    /** An optional integer without a default. */
    ToolSchema integer(String name, String description, int min, int max) {
        return add(name, false, "type", "integer", "minimum", min, "maximum", max, "description", description);
    }

    ToolSchema bytes(String name, String description, long dflt) {
        return add(name, false, "type", "integer", "default", dflt, "minimum", 0, "description", description);
    }

    ToolSchema number(String name, String description, Double dflt, double min, double max) {
        return dflt == null ? add(name, false, "type", "number", "minimum", min, "maximum", max, "description", description)
                : add(name, false, "type", "number", "default", dflt, "minimum", min, "maximum", max, "description", description);
    }

    ToolSchema bool(String name, String description, boolean dflt) {
        return add(name, false, "type", "boolean", "default", dflt, "description", description);
    }

    /** An object id as the other tools return it (a number; {@code "@123"} is accepted too). */
    ToolSchema id(String name, String description, boolean isRequired) {
        return add(name, isRequired, "type", "integer", "minimum", 0, "description", description);
    }

    Set<String> names() {
        return properties.keySet();
    }

    Map<String, Object> build() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "object");
        m.put("properties", properties);
        if (!required.isEmpty()) {
            m.put("required", required);
        }
        m.put("additionalProperties", false);
        return m;
    }

    private ToolSchema add(String name, boolean isRequired, Object... keyValues) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        properties.put(name, p);
        if (isRequired) {
            required.add(name);
        }
        return this;
    }
}
