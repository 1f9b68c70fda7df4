package dev.leakhound.report;

import dev.leakhound.analysis.diagnosis.Check;
import dev.leakhound.analysis.diagnosis.ClassShare;
import dev.leakhound.analysis.diagnosis.Diagnosis;
import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.analysis.diagnosis.Finding;
import dev.leakhound.analysis.diagnosis.FindingKind;
import dev.leakhound.analysis.Timings;
import dev.leakhound.analysis.nodejs.Collections;
import dev.leakhound.analysis.source.SourceLocator;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The words of the diagnosis come from its data: every kind is worded, and the numbers in the words are the data's. */
class FindingTextTest {
    static final Finding.NodeRef EMITTER = new Finding.NodeRef(41, "EventBus", "EventBus");
    static final SourceLocator.Location AT = new SourceLocator.Location("/app/a.js", 10, 3);
    static final Finding.FunctionRef FN = new Finding.FunctionRef("onTick()", AT);

    static Finding finding(FindingKind kind, long bytes, long count, Finding.Detail d) {
        return new Finding(kind, bytes, count, 7, "Array", List.of(), "global.x -> Array @7", AT, List.of(7L), d);
    }

    static List<Finding> oneOfEach() {
        return List.of(
                finding(FindingKind.LISTENERS, 5000, 30, new Finding.Listeners(EMITTER, "bus", "global.bus -> EventBus @41",
                        "tick", 30, List.of(new Finding.FunctionCount(30, FN)), 0,
                        List.of(new Finding.Captured("ctx", new Finding.NodeRef(9, "Ctx", "Ctx"), 1536)), true)),
                finding(FindingKind.TIMERS, 9000, 12, new Finding.Timers(12, 12, 60000, FN, List.of())),
                finding(FindingKind.TIMERS, 9000, 12, new Finding.Timers(12, 0, -1, FN, List.of())),
                finding(FindingKind.CLOSURE_CHAIN, 200_000, 11, new Finding.ClosureChain(11, "replaceThing", 5, "originalThing",
                        new Finding.NodeRef(3, "Object", "Object"), "::originalThing.someMethod", List.of(), null, 18_181)),
                finding(FindingKind.CLOSURE_SCOPE, 5_000_000, 2, new Finding.ClosureScope(null, 6, 2,
                        List.of(new Finding.Variable("job", "JobPayload", 2, 5_000_000)), "job", List.of(), "run()")),
                finding(FindingKind.COLLECTION, 6_000_000, 20_000, new Finding.Collection(new Finding.NodeRef(7, "Map", "Map"),
                        Collections.Kind.MAP, "requests", 20_000, List.of(new ClassShare("Req", 20_000, 5_900_000)), List.of(),
                        true)),
                finding(FindingKind.COLLECTION, 6_000_000, 20_000, new Finding.Collection(new Finding.NodeRef(7, "Array", "Array"),
                        Collections.Kind.ARRAY, "jobs", 20_000, List.of(), List.of("\"a\""), false)),
                finding(FindingKind.EXTERNAL_MEMORY, 8_000_000, 100, new Finding.ExternalMemory(100, 8_000_000, 9_000_000, false,
                        new Finding.NodeRef(8, "Chunk", "Chunk"), ".data", new Finding.NodeRef(7, "Array", "Array"),
                        "global.chunks -> Array @7", "chunks")),
                finding(FindingKind.DUPLICATE_STRINGS, 4_500_000, 9000, new Finding.DuplicateStrings(3, 9000, 4_500_000,
                        List.of(new Finding.Duplicate("\"xxx\"", 9001, 500, 4_500_000, "order.comment", 77)))));
    }

    @Test
    void everyKindHasATitleEvidenceAndAFix() {
        Set<FindingKind> seen = EnumSet.noneOf(FindingKind.class);
        for (Finding f : oneOfEach()) {
            seen.add(f.kind());
            // a missing value must never be printed as "null" (the fix may say "= null": that is advice)
            String missing = "`null`|null\\(\\)|null @|\\(null|^null|null ×";
            assertThat(FindingText.title(f, 100_000_000)).isNotBlank().doesNotContainPattern(missing);
            assertThat(FindingText.fix(f)).isNotBlank().doesNotContainPattern(missing);
            assertThat(FindingText.evidence(f, 100_000_000)).isNotEmpty()
                    .allSatisfy(e -> assertThat(String.valueOf(e.value())).doesNotContainPattern(missing));
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(FindingKind.class));
    }

    @Test
    void theWordsCarryTheData() {
        List<Finding> all = oneOfEach();
        assertThat(FindingText.title(all.get(0), 0)).isEqualTo(
                "30 listeners for 'tick' on `bus` (EventBus @41), all onTick(); Node's default maxListeners is 10");
        assertThat(FindingText.evidence(all.get(0), 0)).extracting(FindingText.Evidence::name)
                .containsExactly("emitter", "event", "listeners", "functions", "captures", "warning");
        assertThat(FindingText.evidence(all.get(0), 0).get(4).value()).isEqualTo(List.of("ctx → Ctx @9 (1.50 KB)"));
        assertThat(FindingText.title(all.get(1), 0)).isEqualTo("12 live setInterval timers run onTick() every 60000 ms");
        assertThat(FindingText.title(all.get(2), 0)).isEqualTo("12 pending setTimeout timers will run onTick()");
        assertThat(FindingText.fix(all.get(1))).contains("clearInterval");
        assertThat(FindingText.fix(all.get(2))).contains("clearTimeout");
        assertThat(FindingText.title(all.get(5), 60_000_000)).isEqualTo(
                "`requests` (Map) holds 20,000 entries, mostly Req: 5.72 MB (10% of the heap)");
        assertThat(FindingText.evidence(all.get(5), 0)).anySatisfy(e -> assertThat(e.value()).asString().startsWith("numbers"));
        assertThat(FindingText.evidence(all.get(6), 0)).extracting(FindingText.Evidence::name).contains("if it is a queue");
        assertThat(FindingText.title(all.get(7), 0)).contains("Chunk objects (.data) in `chunks` (Array)");
    }

    @Test
    void theVerdictSaysHealthyOnlyWhenNothingWasFound() {
        DiagnosisOptions o = DiagnosisOptions.defaults();
        Diagnosis healthy = new Diagnosis(o, 10_000_000, 4 << 20, List.of(), List.of(), 0,
                List.of(new Check.Scan(10, 20)), Timings.none());
        assertThat(DiagnosisText.verdict(healthy)).endsWith("This snapshot looks healthy.").contains("9.54 MB heap");
        Diagnosis sick = new Diagnosis(o, 10_000_000, 4 << 20, List.of(), oneOfEach().subList(0, 2), 3,
                List.of(new Check.Scan(10, 20)), Timings.none());
        assertThat(DiagnosisText.verdict(sick)).isEqualTo("0 leak suspects and 2 findings in a 9.54 MB heap.");
        assertThat(DiagnosisText.notes(sick)).hasSize(2).last().asString().startsWith("3 smaller findings are not shown");
        assertThat(DiagnosisText.checked(sick, false)).containsExactly("scan: one pass over 10 nodes and 20 edges");
    }
}
