package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.ScriptFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which npm package a script belongs to: the folder after its last {@code node_modules} ({@code @scope/name}
 * for scoped packages), and the name and version in the nearest {@code package.json} on disk walking up from
 * the script, no higher than that folder (found as {@link ScriptFiles#resolve} finds scripts, so under
 * {@code --source-root} too). Without the file on disk, the name comes from the path and the version is
 * unknown. Keeps what it found per folder.
 */
public final class Packages {
    /** {@code package.json} files bigger than this are not read. */
    private static final long MAX_MANIFEST = 1 << 20;

    private final Path sourceRoot;
    private final Map<String, PackageRef> byFolder = new HashMap<>();

    /** {@code sourceRoot}: where to look for scripts not found at their own path; may be null. */
    public Packages(Path sourceRoot) {
        this.sourceRoot = sourceRoot;
    }

    /** The package of a script under {@code node_modules}, or null for any other script. */
    public PackageRef of(String script) {
        if (script == null || !Frame.inNodeModules(script)) {
            return null;
        }
        String s = script.replace('\\', '/');
        int at = s.lastIndexOf("node_modules/");
        String rest = s.substring(at + "node_modules/".length());
        String[] parts = rest.split("/");
        if (parts.length < 2 || parts[0].isEmpty()) {
            return null;
        }
        boolean scoped = parts[0].startsWith("@") && parts.length >= 3;
        String folderName = scoped ? parts[0] + "/" + parts[1] : parts[0];
        String folder = s.substring(0, at + "node_modules/".length()) + folderName;
        return byFolder.computeIfAbsent(folder, f -> read(script, f, folderName));
    }

    private PackageRef read(String script, String folder, String folderName) {
        Path file = ScriptFiles.resolve(script, sourceRoot);
        if (file != null) {
            int depth = folder.split("/").length;
            int scriptDepth = script.replace('\\', '/').split("/").length;
            Path dir = file.getParent();
            // walk up at most as many folders as the script sits below the package folder
            for (int up = scriptDepth - depth; dir != null && up >= 1; up--, dir = dir.getParent()) {
                Path manifest = dir.resolve("package.json");
                if (Files.isRegularFile(manifest)) {
                    PackageRef p = parse(manifest);
                    if (p != null && p.name() != null) {
                        return p;
                    }
                }
            }
        }
        return new PackageRef(folderName, null);
    }

    /** {@code name} and {@code version} from a package.json, or null when it cannot be read. */
    static PackageRef parse(Path manifest) {
        try {
            if (Files.size(manifest) > MAX_MANIFEST) {
                return null;
            }
            String text = Files.readString(manifest, StandardCharsets.UTF_8);
            Map<String, String> top = topLevelStrings(text);
            String name = top.get("name");
            return name == null ? null : new PackageRef(name, top.get("version"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The string members of a JSON object's top level (nested objects and arrays skipped). */
    static Map<String, String> topLevelStrings(String json) {
        Map<String, String> out = new HashMap<>();
        int depth = 0;
        String key = null;
        boolean expectValue = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                for (; j < json.length() && json.charAt(j) != '"'; j++) {
                    char d = json.charAt(j);
                    if (d == '\\' && j + 1 < json.length()) {
                        char e = json.charAt(++j);
                        if (e == 'u' && j + 4 < json.length()) {
                            sb.append((char) Integer.parseInt(json.substring(j + 1, j + 5), 16));
                            j += 4;
                        } else {
                            sb.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case 'b' -> '\b';
                                case 'f' -> '\f';
                                default -> e;
                            });
                        }
                    } else {
                        sb.append(d);
                    }
                }
                i = j;
                if (depth == 1) {
                    if (expectValue) {
                        out.putIfAbsent(key, sb.toString());
                        expectValue = false;
                        key = null;
                    } else {
                        key = sb.toString();
                    }
                }
            } else if (c == ':' && depth == 1 && key != null) {
                expectValue = true;
            } else if (c == '{' || c == '[') {
                depth++;
                if (depth > 1) {
                    expectValue = false;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 1) {
                expectValue = false;
                key = null;
            }
        }
        return out;
    }
}
