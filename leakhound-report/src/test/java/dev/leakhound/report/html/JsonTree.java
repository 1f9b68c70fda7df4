package dev.leakhound.report.html;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: parses JSON into maps, lists, Longs, Doubles, Strings, Booleans and nulls. */
public final class JsonTree {
    private JsonTree() {}

    public static Object parse(String json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            return value(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Object at(Object tree, Object... path) {
        Object v = tree;
        for (Object k : path) {
            v = k instanceof Integer i ? ((List<Object>) v).get(i) : ((Map<String, Object>) v).get((String) k);
        }
        return v;
    }

    static long num(Object tree, Object... path) {
        return ((Number) at(tree, path)).longValue();
    }

    /** The JSON data embedded in a report page. */
    static Object pageData(String html) {
        String open = "<script type=\"application/json\" id=\"leakhound-data\">";
        int a = html.indexOf(open);
        int b = html.indexOf("</script>", a);
        return parse(html.substring(a + open.length(), b));
    }
}
