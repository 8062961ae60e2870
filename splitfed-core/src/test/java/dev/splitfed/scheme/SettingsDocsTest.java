package dev.splitfed.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The option tables of docs/command-line.md are generated from the settings schema: this test fails
 * when they differ from {@link Settings#markdownTables()}. Run it with
 * {@code -Dsplitfed.writeDocs=true} to write the current tables into the page.
 */
class SettingsDocsTest {

    private static final String BEGIN = "<!-- BEGIN GENERATED OPTIONS -->\n";
    private static final String END = "<!-- END GENERATED OPTIONS -->";

    @Test
    void theCommandLinePageListsTheSchemasSettings() throws IOException {
        // Surefire runs in the module's directory; the docs are beside it.
        Path page = Path.of("..", "docs", "command-line.md");
        String text = Files.readString(page);
        String generated = "\n" + Settings.markdownTables();
        if (Boolean.getBoolean("splitfed.writeDocs")) {
            text = text.substring(0, text.indexOf(BEGIN) + BEGIN.length()) + generated + text.substring(text.indexOf(END));
            Files.writeString(page, text);
        }
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("the page's BEGIN marker").isNotNegative();
        assertThat(end).as("the page's END marker").isGreaterThan(begin);
        assertThat(text.substring(begin + BEGIN.length(), end))
                .as("docs/command-line.md is out of date: run this test with -Dsplitfed.writeDocs=true")
                .isEqualTo(generated);
    }
}
