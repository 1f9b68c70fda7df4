package dev.leakhound.analysis.allocation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.leakhound.analysis.source.SourceRoot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which npm package a script belongs to: the folder after its last {@code node_modules} ({@code @scope/name}
 * for scoped packages), and the name and version in the nearest {@code package.json} on disk walking up from
 * the script, no higher than that folder (found as {@link SourceRoot#script} finds scripts, so under
 * {@code --source-root} too). Without the file on disk, the name comes from the path and the version is
 * unknown. Keeps what it found per folder.
 */
public final class Packages {
    /** {@code package.json} files bigger than this are not read. */
    private static final long MAX_MANIFEST = 1 << 20;

    private final SourceRoot root;
    private final Map<String, PackageRef> byFolder = new HashMap<>();

    /** {@code root}: where to look for scripts not found at their own path ({@code --source-root}; null: none). */
    public Packages(SourceRoot root) {
        this.root = root == null ? SourceRoot.NONE : root;
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
        Path file = root.script(script);
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

    /** The string members of a JSON object's top level (nested objects and arrays skipped); empty when it is not one. */
    static Map<String, String> topLevelStrings(String json) {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    out.putIfAbsent(key, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // a malformed manifest: what was read before the error
        }
        return out;
    }
}
