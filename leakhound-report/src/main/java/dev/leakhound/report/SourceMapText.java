package dev.leakhound.report;

/** The sentence for a script whose source map could not be used (printed once per script, on stderr). */
public final class SourceMapText {
    private SourceMapText() {}

    /**
     * @param script the script as the snapshot records it
     * @param map    where its map was looked for, or null when the script itself was not found
     * @param reason what is wrong
     */
    public static String unusable(String script, String map, String reason) {
        return "leakhound: warning: " + script + ": " + reason + (map == null ? "" : " (" + map + ")")
                + "; its positions are shown as they are in the script";
    }
}
