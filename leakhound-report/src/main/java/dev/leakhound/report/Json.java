package dev.leakhound.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** A pretty-printing JSON writer over jackson-core's generator, with unchecked IO. */
public final class Json implements AutoCloseable {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator g;

    public Json(Writer out, boolean pretty) {
        try {
            g = FACTORY.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonGenerator gen() {
        return g;
    }

    public Json startObject() {
        return run(g::writeStartObject);
    }

    public Json startObject(String field) {
        return run(() -> g.writeObjectFieldStart(field));
    }

    public Json endObject() {
        return run(g::writeEndObject);
    }

    public Json startArray(String field) {
        return run(() -> g.writeArrayFieldStart(field));
    }

    public Json startArray() {
        return run(g::writeStartArray);
    }

    public Json endArray() {
        return run(g::writeEndArray);
    }

    public Json field(String name, String value) {
        return run(() -> {
            if (value == null) {
                g.writeNullField(name);
            } else {
                g.writeStringField(name, value);
            }
        });
    }

    public Json field(String name, long value) {
        return run(() -> g.writeNumberField(name, value));
    }

    public Json field(String name, double value) {
        return run(() -> g.writeNumberField(name, value));
    }

    public Json field(String name, boolean value) {
        return run(() -> g.writeBooleanField(name, value));
    }

    public Json nullField(String name) {
        return run(() -> g.writeNullField(name));
    }

    public Json value(long v) {
        return run(() -> g.writeNumber(v));
    }

    public Json value(String v) {
        return run(() -> g.writeString(v));
    }

    @Override
    public void close() {
        run(() -> {
            g.flush();
            g.close();
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private Json run(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
