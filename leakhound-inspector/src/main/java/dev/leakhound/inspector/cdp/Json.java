package dev.leakhound.inspector.cdp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON tree over jackson-core's streaming API (no databind): objects are {@link JsonObj}
 * (an ordered map), arrays {@code List<Object>}, strings {@code String}, integers {@code Long} (or
 * {@code Double} when out of range), other numbers {@code Double}, booleans {@code Boolean}, null {@code null}.
 * Enough for CDP messages, which are small; snapshot chunks never go through this tree.
 */
public final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IllegalArgumentException("empty JSON");
            }
            return read(p);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }

    /** Reads the value at the parser's current token (the token must already be current). */
    static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                JsonObj o = new JsonObj();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.put(name, read(p));
                }
                return o;
            }
            case START_ARRAY: {
                List<Object> a = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(read(p));
                }
                return a;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return p.getDoubleValue();
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }

    public static String write(Object value) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof JsonObj o) {
            write(g, o.map());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> it) {
            g.writeStartArray();
            for (Object x : it) {
                write(g, x);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                g.writeNull();
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                g.writeNumber(d.longValue());
            } else {
                g.writeNumber(d);
            }
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeString(v.toString());
        }
    }

    /** An ordered JSON object with typed getters that tolerate missing keys. */
    public static final class JsonObj {
        private final Map<String, Object> map = new LinkedHashMap<>();

        public static JsonObj of(Object... kv) {
            JsonObj o = new JsonObj();
            for (int i = 0; i < kv.length; i += 2) {
                o.put((String) kv[i], kv[i + 1]);
            }
            return o;
        }

        public JsonObj put(String k, Object v) {
            map.put(k, v);
            return this;
        }

        public Map<String, Object> map() {
            return map;
        }

        public boolean has(String k) {
            return map.containsKey(k);
        }

        public Object get(String k) {
            return map.get(k);
        }

        public String str(String k) {
            Object v = map.get(k);
            return v instanceof String s ? s : null;
        }

        public JsonObj obj(String k) {
            Object v = map.get(k);
            return v instanceof JsonObj o ? o : null;
        }

        @SuppressWarnings("unchecked")
        public List<Object> arr(String k) {
            Object v = map.get(k);
            return v instanceof List<?> l ? (List<Object>) l : null;
        }

        public long lng(String k, long dflt) {
            Object v = map.get(k);
            return v instanceof Number n ? n.longValue() : dflt;
        }

        public double dbl(String k, double dflt) {
            Object v = map.get(k);
            return v instanceof Number n ? n.doubleValue() : dflt;
        }

        public boolean bool(String k) {
            return Boolean.TRUE.equals(map.get(k));
        }

        @Override
        public String toString() {
            return write(this);
        }
    }
}
