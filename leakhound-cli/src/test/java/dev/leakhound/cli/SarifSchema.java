package dev.leakhound.cli;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/** The SARIF 2.1.0 schema of testdata/sarif (the objects leakhound writes), for checking what the CLI writes. */
final class SarifSchema {
    private SarifSchema() {}

    /** The schema errors of a SARIF document, with the uri and uri-reference formats asserted. */
    static List<Error> errors(String sarif) throws IOException {
        try (InputStream in = Files.newInputStream(CliRun.root().resolve("testdata/sarif/sarif-2.1.0-subset.schema.json"))) {
            Schema s = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
            return s.validate(sarif, InputFormat.JSON, (ctx, sc) -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
        }
    }
}
