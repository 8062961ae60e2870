package dev.splitfed.internal.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits English text into the words a keyboard would suggest: lower-case runs of letters and
 * digits, with inner apostrophes kept ({@code don't}, {@code o'clock}). Punctuation separates
 * words and is dropped, so the model predicts words, never commas.
 *
 * <p>Overstruck characters (a character, a backspace, another character: the underlining and bold
 * of old terminal text, common in the fortune files) keep only the last character.
 */
public final class Tokenizer {

    private static final Pattern OVERSTRIKE = Pattern.compile(".\b");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*");

    private Tokenizer() {}

    /**
     * Returns the words of {@code text}, in order.
     *
     * @param text any text
     * @return its words, lower case
     */
    public static List<String> words(String text) {
        String plain = OVERSTRIKE.matcher(text).replaceAll("")
                .replace('\u2019', '\'')
                .replace('`', '\'')
                .toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(plain);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
