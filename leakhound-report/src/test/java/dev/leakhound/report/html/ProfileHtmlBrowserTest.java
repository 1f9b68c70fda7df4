package dev.leakhound.report.html;

import dev.leakhound.analysis.profile.AllocationSites;
import dev.leakhound.analysis.profile.HeapProfile;
import dev.leakhound.analysis.profile.HeapProfileFormat;
import dev.leakhound.analysis.profile.ProfileDiff;
import dev.leakhound.report.Format;
import dev.leakhound.report.Json;
import dev.leakhound.report.ProfileReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile page (allocation flame graph) in headless Chromium, through the same harness as the other
 * reports ({@link HtmlBrowserTest}, src/test/js/check-reports.mjs): profiles of a real node process whose
 * script file and one of whose functions have hostile names; the page draws with no console error and no
 * request, shows the JSON's numbers, its search highlights the matching bars, a click zooms, a hover shows
 * bytes and share, and the hostile names are text.
 */
class ProfileHtmlBrowserTest {
    static final String HOSTILE_FUNCTION = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_SCRIPT = "</script><script>alert(2)</script>.js";

    @TempDir
    static Path dir;

    @BeforeAll
    static void browser() throws Exception {
        HtmlBrowserTest.dir = dir;
        HtmlBrowserTest.browser();
    }

    /** Two profiles of one sampling session of a node process (its inspector module, in-process). */
    static List<Path> profiles() throws Exception {
        Path d = Files.createDirectories(dir.resolve("app"));
        Path app = d.resolve(HOSTILE_SCRIPT.replace('/', '_'));
        Files.writeString(app, String.join("\n",
                "const inspector = require('inspector'); const fs = require('fs');",
                "const s = new inspector.Session(); s.connect();",
                "const post = (m, p) => new Promise((ok, no) => s.post(m, p || {}, (e, r) => e ? no(e) : ok(r)));",
                "globalThis.kept = [];",
                "const sites = {'" + HOSTILE_FUNCTION + "': function () { for (let i = 0; i < 300; i++) kept.push(new Array(400).fill(i)); }};",
                "function allocSteady() { for (let i = 0; i < 200; i++) kept.push({ i, s: 'x' + i, a: new Array(100).fill(i) }); }",
                "function allocGrowing() { for (let i = 0; i < 100; i++) kept.push(new Array(400).fill(i)); }",
                "function caller() { allocGrowing(); sites['" + HOSTILE_FUNCTION + "'](); }",
                "(async () => {",
                "  await post('HeapProfiler.enable'); await post('HeapProfiler.startSampling', {samplingInterval: 2048});",
                "  allocSteady(); caller();",
                "  fs.writeFileSync(process.argv[2], JSON.stringify((await post('HeapProfiler.getSamplingProfile')).profile));",
                "  for (let k = 0; k < 3; k++) allocGrowing();",
                "  fs.writeFileSync(process.argv[3], JSON.stringify((await post('HeapProfiler.getSamplingProfile')).profile));",
                "  await post('HeapProfiler.stopSampling'); s.disconnect();",
                "})();",
                ""));
        Path a = d.resolve("a.heapprofile");
        Path b = d.resolve("b.heapprofile");
        HtmlBrowserTest.Result r = HtmlBrowserTest.run(d, List.of("node", "--no-turbo-inlining", app.toString(), a.toString(), b.toString()), 120);
        assertThat(r.rc()).as(r.out()).isZero();
        return List.of(a, b);
    }

    @Test
    void flameGraphDrawsSearchesZoomsAndShowsHeapNamesAsText() throws Exception {
        List<Path> files = profiles();
        HeapProfile b = HeapProfileFormat.read(files.get(1));
        AllocationSites sites = AllocationSites.of(b);
        ProfileReport.Source src = ProfileReport.Source.file(files.get(1).toString());
        StringWriter json = new StringWriter();
        ProfileReport.json(sites, src, 15, json);
        Object j = JsonTree.parse(json.toString());
        List<Map<String, Object>> reports = new ArrayList<>();

        Path one = dir.resolve("profile.html");
        HtmlFiles.write(one, w -> ProfileHtml.write(sites, src, 15, w));
        List<Map<String, Object>> e1 = new ArrayList<>();
        long total = JsonTree.num(j, "totalBytes");
        long samples = JsonTree.num(j, "samples");
        e1.add(HtmlBrowserTest.expect("[data-key=totalBytes]", total, Format.bytes(total)));
        e1.add(HtmlBrowserTest.expect("[data-key=samples]", samples, Format.count(samples)));
        e1.add(HtmlBrowserTest.expect("[data-key=functions]", JsonTree.num(j, "functions"), null));
        reports.add(Map.of("file", one.toString(), "expect", e1, "interact", "profile", "search", "alloc",
                "literal", List.of(HOSTILE_FUNCTION, HOSTILE_SCRIPT.replace('/', '_'))));

        // two profiles compared: the growing site heads the table, and the same controls work (dark scheme)
        ProfileDiff.Result r = ProfileDiff.compare(HeapProfileFormat.read(files.get(0)), b);
        assertThat(ProfileReport.function(r.grown().get(0).frame())).isEqualTo("allocGrowing");
        StringWriter dj = new StringWriter();
        ProfileReport.diffJson(r, files.get(0).toString(), files.get(1).toString(), 15, dj);
        long delta = JsonTree.num(JsonTree.parse(dj.toString()), "deltaBytes");
        Path two = dir.resolve("profile-diff.html");
        HtmlFiles.write(two, w -> ProfileHtml.writeDiff(r, files.get(0).toString(), files.get(1).toString(), 15, w));
        List<Map<String, Object>> e2 = new ArrayList<>();
        e2.add(HtmlBrowserTest.expect("[data-key=deltaBytes]", delta, Format.signedBytes(delta)));
        e2.add(Map.of("selector", "#grown tbody tr:first-child td:nth-child(4)", "text", "allocGrowing"));
        reports.add(Map.of("file", two.toString(), "expect", e2, "interact", "profile", "search", "onerror", "dark", true,
                "literal", List.of(HOSTILE_FUNCTION)));

        Path manifest = dir.resolve("manifest.json");
        StringWriter m = new StringWriter();
        try (Json w = new Json(m, true)) {
            w.startObject().startArray("reports");
            for (Map<String, Object> rep : reports) {
                writeMap(w, rep);
            }
            w.endArray().endObject();
        }
        Files.writeString(manifest, m.toString(), StandardCharsets.UTF_8);
        HtmlBrowserTest.Result res = HtmlBrowserTest.run(HtmlBrowserTest.harness, List.of("node", "check-reports.mjs", manifest.toString()), 300);
        System.out.println(res.out());
        assertThat(res.rc()).as(res.out()).isZero();
        assertThat(res.out()).contains("all reports OK");
    }

    @SuppressWarnings("unchecked")
    private static void writeMap(Json j, Map<String, Object> map) {
        j.startObject();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean bool) {
                j.field(e.getKey(), bool);
            } else if (v instanceof List<?> l) {
                j.startArray(e.getKey());
                for (Object o : l) {
                    if (o instanceof Map<?, ?> mm) {
                        writeMap(j, (Map<String, Object>) mm);
                    } else {
                        j.value(String.valueOf(o));
                    }
                }
                j.endArray();
            } else {
                j.field(e.getKey(), String.valueOf(v));
            }
        }
        j.endObject();
    }
}
