package dev.leakhound.cli;

import dev.leakhound.core.LeakhoundException;
import dev.leakhound.core.snapshot.ReadOptions;
import dev.leakhound.core.snapshot.RedactLevel;
import dev.leakhound.core.snapshot.SnapshotRedactor;
import dev.leakhound.report.RedactText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

@Command(name = "redact", mixinStandardHelpOptions = true,
        description = {"Writes a copy of a heap snapshot that can be shared: the strings that may hold data are "
                + "replaced by keyed hashes (\"redacted:\" and 16 hex digits; equal strings stay equal), everything "
                + "else (nodes, edges, ids, sizes, locations) is copied as it is, so analyze and find-leaks give the "
                + "same classes, sizes and verdicts on the copy.",
                "Levels: basic replaces values (strings, concatenated and sliced strings, numbers, regexp sources, and "
                + "strings nothing names) and keeps class, function, property and variable names; a string that is "
                + "both a value and such a name is kept. names also replaces property and variable names (not the "
                + "V8/Node.js ones analysis needs, nor those that are class names). full replaces every string.",
                "Two streaming passes: memory does not grow with the file. Input may be gzip; OUT is gzip when its "
                + "name ends with .gz. OUT is written owner-only (0600) and never over IN."})
public final class RedactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "the .heapsnapshot (or .heapsnapshot.gz) to redact")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the file to write (.gz: compressed)")
    Path out;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "basic",
            description = "basic, names or full (default: ${DEFAULT-VALUE})")
    String level;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "hash with the key in FILE (at least 16 bytes; created with a random key when missing) "
                    + "instead of a fresh random one. Redact the snapshots of one series with one key file: "
                    + "find-leaks compares them, string values included. Keep it private: with it, a guess of a "
                    + "secret can be checked against the hashes.")
    Path keyFile;

    @Option(names = "--json", description = "Print what was written as JSON: out, level, strings, replaced, "
            + "keyFileCreated (the key file's path when this run created it, else null).")
    boolean json;

    private boolean createdKey;

    @Override
    public Integer call() {
        RedactLevel l = RedactLevel.of(level);
        if (l == null) {
            throw new LeakhoundException("--level must be basic, names or full, not '" + level + "'");
        }
        byte[] key = keyFile == null ? SnapshotRedactor.randomKey() : readKey(keyFile);
        SnapshotRedactor.Result r;
        try (Progress progress = new Progress(true)) {
            r = SnapshotRedactor.redact(in, out, l, key, progress, ReadOptions.fromSystemProperties());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            RedactText.json(r, createdKey ? keyFile.toString() : null, o);
            o.println();
        } else {
            o.println(RedactText.line(r));
            if (createdKey) {
                o.println(RedactText.keyCreated(keyFile));
            }
        }
        o.flush();
        return 0;
    }

    /** The key in {@code file}; a file that does not exist is created owner-only with a random key. */
    private byte[] readKey(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] k = SnapshotRedactor.randomKey();
                Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))), k);
                createdKey = true;
                return k;
            }
            byte[] k = Files.readAllBytes(file);
            if (k.length < 16) {
                throw new LeakhoundException(file + ": a key file needs at least 16 bytes (it has " + k.length + ")");
            }
            return k;
        } catch (NoSuchFileException e) {
            throw new LeakhoundException(file + ": no such directory " + file.toAbsolutePath().getParent());
        } catch (AccessDeniedException e) {
            throw new LeakhoundException(file + ": permission denied");
        } catch (IOException e) {
            throw new LeakhoundException(file + ": cannot read or create the key: " + e.getMessage(), e);
        }
    }
}
