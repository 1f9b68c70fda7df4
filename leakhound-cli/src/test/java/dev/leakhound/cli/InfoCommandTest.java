package dev.leakhound.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class InfoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void textSaysWhatTheHeaderSaysAndWhatAnalyzeNeeds() {
        CliRun r = CliRun.of("info", CliRun.fixture("node24-alloc-tracking.heapsnapshot.gz").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("59,199 nodes, 254,633 edges", "number of strings is not in the header",
                "23 or newer", "yes: allocation stacks of 34 functions",
                "nodes: type, name, id, self_size, edge_count, trace_node_id, detachedness",
                "of Java heap at the peak");
        assertThat(r.out()).containsPattern("(?m)^Verdict {5}analyze fits in this JVM's heap$");
        CliRun node14 = CliRun.of("info", CliRun.fixture("node14.heapsnapshot.gz").toString());
        assertThat(node14.exit()).isZero();
        assertThat(node14.out()).contains("16 or older", "none (trace_function_count 0");
        for (String line : node14.out().split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(110);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonIsOneDocumentWithTheHeaderAndTheEstimates() throws IOException {
        CliRun r = CliRun.of("info", "--json", CliRun.fixture("node20-alloc-tracking.heapsnapshot.gz").toString());
        assertThat(r.exit()).isZero();
        Map<String, Object> d = object(r.out());
        assertThat(d.keySet()).containsExactly("file", "fileBytes", "gzip", "jsonBytes", "jsonBytesExact",
                "headerBytes", "bytesRead", "readMillis", "nodeCount", "edgeCount", "stringCount", "traceFunctionCount",
                "allocationTraces", "nodeFields", "nodeTypes", "edgeFields", "edgeTypes", "traceNodeIds",
                "detachedness", "locations", "extraNativeBytes", "rootOrdinal", "node", "memory", "time", "machine",
                "fit", "heapToAskForBytes", "leakhoundHeap");
        assertThat(d).containsEntry("nodeCount", 41003L).containsEntry("edgeCount", 185533L)
                .containsEntry("stringCount", null).containsEntry("traceFunctionCount", 35L)
                .containsEntry("allocationTraces", true).containsEntry("gzip", true)
                .containsEntry("jsonBytesExact", false)
                .containsEntry("extraNativeBytes", null).containsEntry("rootOrdinal", 0L);
        byte[] json;
        Path fixture = CliRun.fixture("node20-alloc-tracking.heapsnapshot.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture))) {
            json = in.readAllBytes();
        }
        assertThat(d).containsEntry("jsonBytes", (long) json.length);
        assertThat((List<Object>) d.get("nodeFields")).containsExactly("type", "name", "id", "self_size", "edge_count",
                "trace_node_id", "detachedness");
        assertThat((long) d.get("bytesRead")).isLessThan((long) d.get("fileBytes"));
        Map<String, Object> node = map(d.get("node"));
        assertThat(node).containsEntry("from", 19L).containsEntry("to", 21L).containsEntry("known", true)
                .containsEntry("basis", "wasm-object-type");
        Map<String, Object> memory = map(d.get("memory"));
        assertThat(memory.keySet()).containsExactly("columnsBytes", "restBytes", "stringsEstimate", "stringTableBytes",
                "graphBytes", "dominatorBytes", "analysisBytes", "liveBytes", "peak", "heapBytes", "processBytes");
        assertThat((long) memory.get("heapBytes")).isGreaterThan((long) memory.get("liveBytes"));
        assertThat(memory.get("peak")).isIn("dominator-tree", "after-dominator-tree");
        Map<String, Object> time = map(d.get("time"));
        assertThat((long) time.get("totalMillis")).isEqualTo((long) time.get("startMillis")
                + (long) time.get("readMillis") + (long) time.get("graphMillis") + (long) time.get("analysisMillis"));
        Map<String, Object> machine = map(d.get("machine"));
        assertThat(machine).containsEntry("jvmMaxHeapBytes", Runtime.getRuntime().maxMemory());
        assertThat(d.get("fit")).isIn("fits", "needs-bigger-heap", "machine-too-small");
        assertThat((String) d.get("leakhoundHeap")).matches("[0-9]+[gm]");
    }

    @Test
    void aPlainFileWithGarbageAfterItsHeaderIsStillDescribed() throws IOException {
        byte[] whole;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CliRun.fixture("node22.heapsnapshot.gz")))) {
            whole = in.readAllBytes();
        }
        String text = new String(whole, StandardCharsets.UTF_8);
        int nodes = text.indexOf("\"nodes\":[") + 9;
        byte[] broken = Arrays.copyOf(whole, whole.length);
        Arrays.fill(broken, nodes, broken.length, (byte) '#');
        Path p = tmp.resolve("broken.heapsnapshot");
        Files.write(p, broken);
        CliRun r = CliRun.of("info", "--json", p.toString());
        assertThat(r.exit()).isZero();
        Map<String, Object> d = object(r.out());
        assertThat(d).containsEntry("nodeCount", 53755L).containsEntry("gzip", false)
                .containsEntry("jsonBytesExact", true)
                .containsEntry("jsonBytes", (long) broken.length);
        // analyze reads on, and stops at the garbage
        CliRun analyze = CliRun.of("analyze", p.toString());
        assertThat(analyze.exit()).isEqualTo(2);
    }

    @Test
    void badInputGivesOneLineAndExitTwo() throws IOException {
        CliRun missing = CliRun.of("info", tmp.resolve("nope.heapsnapshot").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().strip()).startsWith("leakhound: ").endsWith("nope.heapsnapshot: no such file")
                .doesNotContain("\n");
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a snapshot\n");
        CliRun notSnapshot = CliRun.of("info", text.toString());
        assertThat(notSnapshot.exit()).isEqualTo(2);
        assertThat(notSnapshot.err().strip()).startsWith("leakhound: ").contains("not a V8 heap snapshot", "at byte 0")
                .doesNotContain("\n");
        byte[] whole;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CliRun.fixture("node20.heapsnapshot.gz")))) {
            whole = in.readAllBytes();
        }
        Path cut = tmp.resolve("cut.heapsnapshot");
        Files.write(cut, Arrays.copyOf(whole, 300));
        CliRun truncated = CliRun.of("info", cut.toString());
        assertThat(truncated.exit()).isEqualTo(2);
        assertThat(truncated.err().strip()).startsWith("leakhound: ").contains("truncated").doesNotContain("\n")
                .doesNotContain("Exception");
        CliRun debug = CliRun.of("info", cut.toString(), "--debug");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err()).contains("SnapshotFormatException", "\tat ");
        CliRun dir = CliRun.of("info", tmp.toString());
        assertThat(dir.exit()).isEqualTo(2);
        assertThat(dir.err().strip()).contains("is a directory").doesNotContain("\n");
        CliRun none = CliRun.of("info");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required parameter: 'FILE'", "leakhound info --help");
    }

    @Test
    void listedInTheHelp() {
        CliRun r = CliRun.of("--help");
        assertThat(r.out()).containsPattern("(?m)^  info ");
        CliRun help = CliRun.of("info", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: leakhound info", "--json", "LEAKHOUND_HEAP");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** The JSON document as maps, lists, strings, longs, booleans and nulls; checks it is one complete document. */
    static Map<String, Object> object(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(p);
            assertThat(p.nextToken()).isNull();
            return m;
        }
    }

    private static Object value(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.getCurrentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + p.currentToken());
        }
    }
}
