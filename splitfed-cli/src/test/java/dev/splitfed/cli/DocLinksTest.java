package dev.splitfed.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md, docs/*.md and bench/README.md points at a file that exists and,
 * with a {@code #fragment} into a Markdown page, at one of that page's headings as GitHub names them.
 */
class DocLinksTest {

    /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** An ATX heading, {@code ## Text}, with optional closing hashes. */
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    /** A link inside a heading, whose text alone counts towards the anchor. */
    private static final Pattern HEADING_LINK = Pattern.compile("\\[([^]]*)]\\([^)]*\\)");
    /** A target with a scheme ({@code https:}, {@code mailto:}): not a file in the repository. */
    private static final Pattern ABSOLUTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void everyRelativeLinkInTheDocumentationResolves() throws IOException {
        Path root = repositoryRoot();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("bench/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            String text = Files.readString(page);
            links += relativeLinks(text).size();
            broken.addAll(brokenLinks(root, page, text));
        }
        // The pages link to each other a few hundred times: a checker that saw none would prove nothing.
        assertThat(links).isGreaterThan(100);
        assertThat(broken).isEmpty();
    }

    @Test
    void theCheckerReportsMissingFilesAndMissingHeadingsButNotCodeOrWebLinks(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other page\n\n## Noise at the cut: `--smashed-noise`\n");
        Files.writeString(dir.resolve("picture.png"), "not really a picture");
        String page = String.join("\n",
                "# A page",
                "[fine](other.md) [fine too](other.md#noise-at-the-cut---smashed-noise) [self](#a-page)",
                "![picture](picture.png) [web](https://example.org/nowhere.md) [mail](mailto:a@example.org)",
                "[no file](nowhere.md) and [no heading](other.md#no-such-heading)",
                "```bash",
                "# a comment, not a heading; [not a link](ignored.md)",
                "```",
                "`[inline code](ignored.md)` and [a heading only in code](#a-comment-not-a-heading-not-a-link)",
                "");
        assertThat(brokenLinks(dir, dir.resolve("page.md"), page)).containsExactly(
                "page.md:4: nowhere.md (no such file)",
                "page.md:4: other.md#no-such-heading (no heading of that name)",
                "page.md:8: #a-comment-not-a-heading-not-a-link (no heading of that name)");
    }

    @Test
    void anchorsAreNamedAsGitHubNamesThem() {
        assertThat(anchors("## Noise at the cut: `--smashed-noise`\n"))
                .containsExactly("noise-at-the-cut---smashed-noise");
        assertThat(anchors("### Choosing FedAdam's server learning rate and μ (quick sweep)\n"))
                .containsExactly("choosing-fedadams-server-learning-rate-and-μ-quick-sweep");
        assertThat(anchors("# Keep snake_case and [link text](x.md) ##\n"))
                .containsExactly("keep-snake_case-and-link-text");
        assertThat(anchors("## Measured\n\n## Measured\n")).containsExactlyInAnyOrder("measured", "measured-1");
    }

    /** Returns one line per broken relative link in a page: {@code FILE:LINE: TARGET (why)}. */
    private static List<String> brokenLinks(Path root, Path page, String text) {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchorsByPage = new HashMap<>();
        for (Link link : relativeLinks(text)) {
            String target = URLDecoder.decode(link.target(), StandardCharsets.UTF_8);
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? "" : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            String where = root.relativize(page) + ":" + link.line() + ": " + link.target();
            if (!file.isEmpty() && !Files.exists(resolved)) {
                broken.add(where + " (no such file)");
            } else if (!fragment.isEmpty() && resolved.getFileName().toString().endsWith(".md")) {
                Set<String> names = anchorsByPage.computeIfAbsent(resolved,
                        p -> p.equals(page) ? anchors(text) : anchors(read(p)));
                if (!names.contains(fragment)) {
                    broken.add(where + " (no heading of that name)");
                }
            }
        }
        return broken;
    }

    /** A link's target and the 1-based line it is on. */
    private record Link(String target, int line) {}

    /** Returns the links of a page outside code (fenced blocks and inline spans) whose target has no scheme. */
    private static List<Link> relativeLinks(String text) {
        List<Link> links = new ArrayList<>();
        List<String> lines = outsideFences(text);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINK.matcher(lines.get(i).replaceAll("`[^`]*`", ""));
            while (m.find()) {
                if (!ABSOLUTE.matcher(m.group(1)).find()) {
                    links.add(new Link(m.group(1), i + 1));
                }
            }
        }
        return links;
    }

    /** Returns the anchors of a page's headings: GitHub's slugs, with -1, -2 ... for repeats. */
    private static Set<String> anchors(String text) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : outsideFences(text)) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = slug(HEADING_LINK.matcher(m.group(1)).replaceAll("$1"));
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return anchors;
    }

    /** GitHub's heading slug: lower case, punctuation and symbols dropped except '-' and '_', each space a '-'. */
    private static String slug(String heading) {
        StringBuilder slug = new StringBuilder();
        heading.trim().toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (c == '-' || c == '_' || Character.isLetterOrDigit(c)) {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    /** Returns a page's lines with those inside fenced code blocks (fences included) blanked, numbering kept. */
    private static List<String> outsideFences(String text) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            boolean fence = line.strip().startsWith("```") || line.strip().startsWith("~~~");
            lines.add(fenced || fence ? "" : line);
            fenced ^= fence;
        }
        return lines;
    }

    private static String read(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + page, e);
        }
    }

    /** The checkout's root: the first directory with README.md, docs/ and pom.xml up from surefire's (the module's). */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no README.md, docs/ and pom.xml above " + Path.of("").toAbsolutePath());
    }
}
