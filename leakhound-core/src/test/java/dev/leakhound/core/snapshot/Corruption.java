package dev.leakhound.core.snapshot;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damage for the parser fuzz tests: header values out of range (a negative or misaligned {@code root_index},
 * counts past 2^31, a negative {@code extra_native_bytes}, non-integers), numbers in the big sections past what
 * their column holds, and random bytes from a JSON alphabet. Also the check that whatever a reader accepts is a
 * well-formed snapshot: every index in range, so that the graph kernels can run on it.
 */
final class Corruption {
    /** Bytes written over random positions. */
    static final String ALPHABET = "0123456789,[]{}\":-.ex \n\\u";
    /** Values for header members and for numbers in the sections: the edges of the ranges the readers check. */
    static final String[] VALUES = {"-7", "-1", "0", "1", "3", "7", "127", "128", "255", "256", "2147483647",
        "2147483648", "4294967295", "4294967296", "9223372036854775807", "-9223372036854775808",
        "99999999999999999999", "1.5", "1e3", "\"7\"", "null", "true", "[]", "{}"};
    static final String[] HEADER_KEYS = {"root_index", "extra_native_bytes", "node_count", "edge_count",
        "trace_function_count"};

    private Corruption() {}

    /** {@code s} written as V8 writes it, then damaged in one to four ways chosen by {@code r}. */
    static byte[] of(HeapSnapshot s, Random r) {
        SnapshotJson j = new SnapshotJson();
        int stride = 7;
        boolean damaged = false;
        if (r.nextInt(3) == 0) {
            damaged = true;
            String key = HEADER_KEYS[r.nextInt(2)];
            String value = r.nextBoolean() ? VALUES[r.nextInt(VALUES.length)]
                    : Long.toString((long) stride * (r.nextInt(s.nodeCount() + 3) - 1) + (r.nextInt(4) == 0 ? 1 : 0));
            j.headerExtra = "\"" + key + "\":" + value + ",";
        }
        String json = j.write(s);
        if (r.nextInt(4) == 0) {
            damaged = true;
            String key = "\"" + HEADER_KEYS[2 + r.nextInt(3)] + "\":";
            int at = json.indexOf(key) + key.length();
            int end = at;
            while (Character.isDigit(json.charAt(end))) {
                end++;
            }
            json = json.substring(0, at) + VALUES[r.nextInt(VALUES.length)] + json.substring(end);
        }
        if (r.nextInt(3) == 0) {
            damaged = true;
            json = replaceNumber(json, r, VALUES[r.nextInt(11) + 5]);
        }
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        for (int i = 0, n = damaged ? r.nextInt(3) : 1 + r.nextInt(4); i < n; i++) {
            data[r.nextInt(data.length)] = (byte) ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        }
        return data;
    }

    /** Replaces one number, somewhere after the header, by {@code value}. */
    private static String replaceNumber(String json, Random r, String value) {
        int from = json.indexOf("\"nodes\":");
        int at = from + r.nextInt(json.length() - from);
        while (at < json.length() && !Character.isDigit(json.charAt(at))) {
            at++;
        }
        while (at > from && Character.isDigit(json.charAt(at - 1))) {
            at--;
        }
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return end == at ? json : json.substring(0, at) + value + json.substring(end);
    }

    /** Every index a reader hands on is in range (what the graph kernels rely on). */
    static void assertWellFormed(HeapSnapshot s) {
        int n = s.nodeCount();
        int strings = s.strings().size();
        assertThat(n).isPositive();
        assertThat(s.rootOrdinal()).as("root ordinal").isBetween(0, n - 1);
        assertThat(s.firstEdge(0)).isZero();
        assertThat(s.endEdge(n - 1)).isEqualTo(s.edgeCount());
        assertThat(s.extraNativeBytes()).isNotNegative();
        for (int v = 0; v < n; v++) {
            assertThat(s.endEdge(v)).as("edges of node %d", v).isGreaterThanOrEqualTo(s.firstEdge(v));
            assertThat(s.nameIndex(v)).as("name of node %d", v).isBetween(0, strings - 1);
            assertThat(s.traceNodeId(v)).as("trace node id of node %d", v).isNotNegative();
            assertThat(s.detachedness(v)).as("detachedness of node %d", v).isNotNegative();
            assertThat(s.typeName(v)).isNotNull();
        }
        for (int e = 0; e < s.edgeCount(); e++) {
            assertThat(s.edgeTo(e)).as("target of edge %d", e).isBetween(0, n - 1);
            if (EdgeType.nameIsString(s.edgeType(e))) {
                assertThat(s.edgeNameOrIndex(e)).as("name of edge %d", e).isBetween(0, strings - 1);
            }
            assertThat(s.edgeTypeName(e)).isNotNull();
        }
        SnapshotLocations l = s.locations();
        for (int i = 0; i < l.size(); i++) {
            assertThat(l.node(i)).isBetween(0, n - 1);
            assertThat(l.scriptId(i)).isNotNegative();
            assertThat(l.line(i)).isNotNegative();
            assertThat(l.column(i)).isNotNegative();
        }
    }
}
