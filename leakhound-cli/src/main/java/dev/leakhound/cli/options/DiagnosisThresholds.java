package dev.leakhound.cli.options;

import dev.leakhound.analysis.diagnosis.DiagnosisOptions;
import dev.leakhound.core.LeakhoundException;
import picocli.CommandLine.Option;

import java.util.Locale;

/** The one-snapshot diagnosis's thresholds (see the README: "leakhound analyze: diagnosis"), as a picocli mixin. */
public final class DiagnosisThresholds {
    @Option(names = "--no-diagnosis", description = "leave out the diagnosis (leak suspects and Node.js leak patterns)")
    boolean noDiagnosis;

    @Option(names = "--min-bytes", paramLabel = "SIZE", defaultValue = "4MB",
            description = "bytes at stake for findings that rest on size: suspects, collections, closure scopes, "
                    + "external memory, duplicate strings (e.g. 512KB, 4MB; default: ${DEFAULT-VALUE})")
    String minBytes;

    @Option(names = "--suspect-percent", paramLabel = "P", defaultValue = "10",
            description = "share of the heap a leak suspect retains, in percent (MAT's default: ${DEFAULT-VALUE})")
    double suspectPercent;

    @Option(names = "--min-listeners", paramLabel = "N", defaultValue = "11",
            description = "listeners for one event that make a finding (default ${DEFAULT-VALUE}: more than Node's maxListeners)")
    int minListeners;

    @Option(names = "--min-timers", paramLabel = "N", defaultValue = "10",
            description = "live timers running one function that make a finding (default: ${DEFAULT-VALUE})")
    int minTimers;

    @Option(names = "--min-entries", paramLabel = "N", defaultValue = "10000",
            description = "entries that make a collection's fan-out very high on their own (default: ${DEFAULT-VALUE})")
    int minEntries;

    @Option(names = "--min-chain", paramLabel = "N", defaultValue = "10",
            description = "closure scopes of one function linked into a chain (default: ${DEFAULT-VALUE})")
    int minChain;

    @Option(names = "--max-findings", paramLabel = "N", defaultValue = "10",
            description = "findings shown, biggest first (default: ${DEFAULT-VALUE})")
    int maxFindings;

    /** The options, or null with --no-diagnosis; a one-line error for an impossible value. */
    public DiagnosisOptions options() {
        if (noDiagnosis) {
            return null;
        }
        if (!(suspectPercent > 0 && suspectPercent <= 100)) {
            throw new LeakhoundException("--suspect-percent must be in (0, 100], got " + suspectPercent);
        }
        return DiagnosisOptions.defaults().withMinBytes(parseSize("--min-bytes", minBytes))
                .withSuspectShare(suspectPercent / 100).withMinListeners(minListeners).withMinTimers(minTimers)
                .withMinEntries(minEntries).withMinChain(minChain).withMaxFindings(maxFindings);
    }

    /** A size: a number of bytes, optionally with a unit (B, KB, MB, GB; K, M, G; binary multiples). */
    public static long parseSize(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        String[][] units = {{"KB", "1024"}, {"MB", "1048576"}, {"GB", "1073741824"}, {"K", "1024"}, {"M", "1048576"},
            {"G", "1073741824"}, {"B", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            double v = Double.parseDouble(t);
            if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return (long) (v * mult);
        } catch (NumberFormatException e) {
            throw new LeakhoundException(option + ": '" + text + "' is not a size (e.g. 4MB, 512KB, 1048576)");
        }
    }
}
