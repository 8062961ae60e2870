package dev.splitfed.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page: headings, key/value tables, data tables and PNG images embedded as
 * {@code data:} URIs, so the file can be mailed or archived alone. Every text is escaped.
 */
final class HtmlReport {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlReport(String title) {
        this.title = title;
    }

    HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    HtmlReport keyValues(Map<String, ?> values) {
        body.append("<table class=\"kv\">\n");
        values.forEach((k, v) -> body.append("<tr><th>").append(escape(k)).append("</th><td>")
                .append(escape(format(v))).append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    HtmlReport table(List<String> header, List<? extends List<?>> rows) {
        body.append("<table class=\"data\">\n<tr>");
        header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<?> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(format(cell))).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    HtmlReport image(String alt, byte[] png) {
        body.append("<img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        return this;
    }

    void write(Path file) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escape(title) + "</title>\n<style>\n"
                + "body{font-family:sans-serif;margin:2em auto;max-width:960px;color:#222}\n"
                + "table{border-collapse:collapse;margin:1em 0}\n"
                + "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\n"
                + "table.kv th{text-align:left;background:#f4f4f4}\n"
                + "table.data th{background:#f4f4f4}\n"
                + "img{max-width:100%;display:block;margin:1em 0}\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Returns floats as written (0.01), doubles to four significant digits, without trailing zeros. */
    static String format(Object value) {
        String s;
        if (value instanceof Float f) {
            s = Float.toString(f);
        } else if (value instanceof Double d) {
            s = String.format(Locale.ROOT, "%.4g", d);
        } else {
            return String.valueOf(value);
        }
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
