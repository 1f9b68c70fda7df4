package dev.leakhound.analysis.allocation;

import dev.leakhound.analysis.source.SourceRoot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which package a script under node_modules belongs to, from the nearest package.json. */
class PackagesTest {
    @TempDir
    Path dir;

    private Path file(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theNearestPackageJsonNamesTheVersion() throws IOException {
        file("node_modules/ws/package.json", "{\"author\": {\"name\": \"x\", \"version\": \"9\"}, \"name\": \"ws\", \"version\": \"8.17.1\"}");
        Path s = file("node_modules/ws/lib/websocket-server.js", "");
        file("node_modules/@scope/pkg/package.json", "{\"name\":\"@scope/pkg\",\"version\":\"2.0.0-beta.1\"}");
        Path scoped = file("node_modules/@scope/pkg/index.js", "");
        Path nested = file("node_modules/a/node_modules/b/index.js", "");
        file("node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\"}");
        Packages p = new Packages(null);
        assertThat(p.of(s.toString())).isEqualTo(new PackageRef("ws", "8.17.1"));
        assertThat(p.of(scoped.toString())).isEqualTo(new PackageRef("@scope/pkg", "2.0.0-beta.1"));
        // b has no package.json: its name from the path, no version (a's manifest is not b's)
        assertThat(p.of(nested.toString())).isEqualTo(new PackageRef("b", null));
        assertThat(p.of(dir.resolve("app.js").toString())).isNull();
        assertThat(p.of("node:events")).isNull();
    }

    @Test
    void topLevelMembersOnly() {
        assertThat(Packages.topLevelStrings("{\"x\":{\"name\":\"inner\"},\"name\":\"outer\",\"n\":[\"name\",\"v\"],\"version\":\"1\\u002e2\"}"))
                .containsEntry("name", "outer").containsEntry("version", "1.2").doesNotContainKey("n");
    }

    @Test
    void aScriptFromAnotherMachineIsFoundUnderTheSourceRoot() throws IOException {
        file("node_modules/ws/package.json", "{\"name\": \"ws\", \"version\": \"8.0.0\"}");
        file("node_modules/ws/index.js", "");
        assertThat(new Packages(SourceRoot.of(dir)).of("/app/node_modules/ws/index.js")).isEqualTo(new PackageRef("ws", "8.0.0"));
        assertThat(new Packages(null).of("/app/node_modules/ws/index.js")).isEqualTo(new PackageRef("ws", null));
    }
}
