package dev.leakhound.report.html;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

import java.util.Locale;

/**
 * JSON escapes for data embedded in an HTML {@code <script>} element: JSON's own escapes plus
 * {@code <}, {@code >}, {@code &} (so {@code </script>} and {@code <!--} cannot appear), U+2028 and
 * U+2029, and UTF-16 surrogates (written as {@code \uD83D\uDE00}, which JSON.parse joins again; a
 * lone surrogate from a snapshot then cannot make the file invalid UTF-8).
 */
final class ScriptSafeEscapes extends CharacterEscapes {
    static final ScriptSafeEscapes INSTANCE = new ScriptSafeEscapes();
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    private ScriptSafeEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii['<'] = ESCAPE_STANDARD;
        ascii['>'] = ESCAPE_STANDARD;
        ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch == 0x2028 || ch == 0x2029 || (ch >= 0xD800 && ch <= 0xDFFF)) {
            return new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch));
        }
        return null;
    }
}
