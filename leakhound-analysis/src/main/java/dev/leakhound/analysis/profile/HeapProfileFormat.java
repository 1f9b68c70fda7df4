package dev.leakhound.analysis.profile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import dev.leakhound.core.LeakhoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code .heapprofile} format: the JSON of {@code HeapProfiler.SamplingHeapProfile}, which Chrome
 * DevTools saves from "Allocation sampling", {@code node --heap-prof} writes at exit, and leakhound writes
 * with {@code profile -o}:
 * <pre>
 * {"head": {"callFrame": {"functionName", "scriptId", "url", "lineNumber", "columnNumber"},
 *           "selfSize", "id", "children": [node...]},
 *  "samples": [{"size", "nodeId", "ordinal"}...]}
 * </pre>
 * Read with jackson-core's streaming parser, the call tree walked with an explicit stack (a tree is as
 * deep as the deepest sampled stack). Unknown members are skipped; {@code samples} may be missing (older
 * profiles). Anything else is a one-line {@link LeakhoundException} naming the file and what is wrong.
 */
public final class HeapProfileFormat {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1_000_000).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build())
            .build();

    private HeapProfileFormat() {}

    /** Reads a .heapprofile file. */
    public static HeapProfile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(FACTORY.createParser(in), file.toString());
        } catch (NoSuchFileException e) {
            throw new LeakhoundException(file + ": no such file");
        } catch (IOException e) {
            throw new LeakhoundException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Parses a profile from its JSON text; {@code source} names it in errors. */
    public static HeapProfile parse(String json, String source) {
        return parse(new StringReader(json), source);
    }

    public static HeapProfile parse(Reader json, String source) {
        try {
            return read(FACTORY.createParser(json), source);
        } catch (IOException e) {
            throw new LeakhoundException(source + ": cannot read: " + e.getMessage());
        }
    }

    private static HeapProfile read(JsonParser p, String source) throws IOException {
        try (p) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAProfile(source, "it is not a JSON object");
            }
            HeapProfile.Builder b = new HeapProfile.Builder();
            boolean head = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "head" -> {
                        if (t != JsonToken.START_OBJECT) {
                            throw notAProfile(source, "\"head\" is not an object");
                        }
                        readTree(p, b, source);
                        head = true;
                    }
                    case "samples" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw notAProfile(source, "\"samples\" is not an array");
                        }
                        readSamples(p, b, source);
                    }
                    case "snapshot" -> throw new LeakhoundException(source
                            + " is a heap snapshot, not a heap profile (analyze, find-leaks and diff read snapshots)");
                    case "nodes", "startTime" -> throw new LeakhoundException(source
                            + " looks like a CPU profile (.cpuprofile), not a heap profile (.heapprofile)");
                    default -> p.skipChildren();
                }
            }
            if (!head) {
                throw notAProfile(source, "it has no \"head\" call tree");
            }
            return b.build();
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw notAProfile(source, "invalid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + (m.length() > 120 ? m.substring(0, 120) + "…" : m));
        }
    }

    /** The call tree, from the head's START_OBJECT to its END_OBJECT, with an explicit stack. */
    private static void readTree(JsonParser p, HeapProfile.Builder b, String source) throws IOException {
        int[] stack = new int[64];
        long[] self = new long[64];
        int[] ids = new int[64];
        CallFrame[] frames = new CallFrame[64];
        int top = 0;
        stack[0] = b.begin(-1);
        frames[0] = null;
        while (true) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "callFrame" -> frames[top] = readFrame(p, v, source);
                    case "selfSize" -> self[top] = number(p, v, source, "selfSize");
                    case "id" -> ids[top] = (int) number(p, v, source, "id");
                    case "children" -> {
                        if (v != JsonToken.START_ARRAY) {
                            throw notAProfile(source, "\"children\" is not an array");
                        }
                        JsonToken c = p.nextToken();
                        if (c == JsonToken.START_OBJECT) {
                            top = push(b, stack, top);
                            if (top == stack.length) {
                                int n = stack.length * 2;
                                stack = java.util.Arrays.copyOf(stack, n);
                                self = java.util.Arrays.copyOf(self, n);
                                ids = java.util.Arrays.copyOf(ids, n);
                                frames = java.util.Arrays.copyOf(frames, n);
                            }
                            stack[top] = b.size() - 1;
                            self[top] = 0;
                            ids[top] = 0;
                            frames[top] = null;
                        } else if (c != JsonToken.END_ARRAY) {
                            throw notAProfile(source, "a child in \"children\" is not an object");
                        }
                    }
                    default -> p.skipChildren();
                }
            } else if (t == JsonToken.END_OBJECT) {
                if (frames[top] == null) {
                    throw notAProfile(source, "call-tree node " + ids[top] + " has no \"callFrame\"");
                }
                if (self[top] < 0) {
                    throw notAProfile(source, "call-tree node " + ids[top] + " has a negative \"selfSize\"");
                }
                b.set(stack[top], ids[top], frames[top], self[top]);
                if (top == 0) {
                    return;
                }
                top--;
                // back in the parent's "children" array: a next sibling, or its end
                JsonToken c = p.nextToken();
                if (c == JsonToken.START_OBJECT) {
                    top = push(b, stack, top);
                    stack[top] = b.size() - 1;
                    self[top] = 0;
                    ids[top] = 0;
                    frames[top] = null;
                } else if (c != JsonToken.END_ARRAY) {
                    throw notAProfile(source, "a child in \"children\" is not an object");
                }
            } else {
                throw notAProfile(source, "unexpected " + t + " in the call tree");
            }
        }
    }

    /** Begins a child of the node on top of the stack; returns the new top (the caller grows the arrays). */
    private static int push(HeapProfile.Builder b, int[] stack, int top) {
        b.begin(stack[top]);
        return top + 1;
    }

    private static CallFrame readFrame(JsonParser p, JsonToken t, String source) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw notAProfile(source, "\"callFrame\" is not an object");
        }
        String fn = "";
        String script = "0";
        String url = "";
        int line = -1;
        int col = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "functionName" -> fn = v == JsonToken.VALUE_NULL ? "" : p.getValueAsString("");
                case "scriptId" -> script = p.getValueAsString("0");
                case "url" -> url = v == JsonToken.VALUE_NULL ? "" : p.getValueAsString("");
                case "lineNumber" -> line = (int) number(p, v, source, "lineNumber");
                case "columnNumber" -> col = (int) number(p, v, source, "columnNumber");
                default -> p.skipChildren();
            }
        }
        return new CallFrame(fn, script, url, line, col);
    }

    private static void readSamples(JsonParser p, HeapProfile.Builder b, String source) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            long size = 0;
            int node = 0;
            long ordinal = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "size" -> size = number(p, v, source, "size");
                    case "nodeId" -> node = (int) number(p, v, source, "nodeId");
                    case "ordinal" -> ordinal = number(p, v, source, "ordinal");
                    default -> p.skipChildren();
                }
            }
            b.sample(size, node, ordinal);
        }
        if (t != JsonToken.END_ARRAY) {
            throw notAProfile(source, "a sample in \"samples\" is not an object");
        }
    }

    private static long number(JsonParser p, JsonToken t, String source, String what) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        throw notAProfile(source, "\"" + what + "\" is not a number");
    }

    private static LeakhoundException notAProfile(String source, String why) {
        return new LeakhoundException(source + ": not a heap profile (.heapprofile): " + why);
    }

    // ---------------------------------------------------------------- writing

    /** Writes the profile in the .heapprofile format (compact, as node --heap-prof writes it). */
    public static void write(HeapProfile profile, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeFieldName("head");
            // pre-order walk: open each node, and close it (with its children array) once its subtree is written
            int n = 0;
            while (n >= 0) {
                writeNodeStart(g, profile, n);
                int c = profile.firstChild(n);
                if (c >= 0) {
                    n = c;
                    continue;
                }
                // a leaf: close it and the ancestors whose last child it ends
                while (true) {
                    g.writeEndArray();
                    g.writeEndObject();
                    int s = profile.nextSibling(n);
                    if (s >= 0) {
                        n = s;
                        break;
                    }
                    n = profile.parent(n);
                    if (n < 0) {
                        break;
                    }
                }
            }
            g.writeArrayFieldStart("samples");
            for (int i = 0; i < profile.sampleCount(); i++) {
                g.writeStartObject();
                g.writeNumberField("size", profile.sampleSize(i));
                g.writeNumberField("nodeId", profile.sampleNodeId(i));
                g.writeNumberField("ordinal", profile.sampleOrdinal(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeNodeStart(JsonGenerator g, HeapProfile profile, int n) throws IOException {
        CallFrame f = profile.frame(n);
        g.writeStartObject();
        g.writeObjectFieldStart("callFrame");
        g.writeStringField("functionName", f.functionName());
        g.writeStringField("scriptId", f.scriptId());
        g.writeStringField("url", f.url());
        g.writeNumberField("lineNumber", f.lineNumber());
        g.writeNumberField("columnNumber", f.columnNumber());
        g.writeEndObject();
        g.writeNumberField("selfSize", profile.selfBytes(n));
        g.writeNumberField("id", profile.id(n));
        g.writeArrayFieldStart("children");
    }
}
