package io.momentum.webhook.domain;

import io.momentum.shared.env.InvalidNameException;

/**
 * Git's own rules for a ref name ({@code git check-ref-format}), which every git host enforces: a delivery naming
 * a ref git would refuse did not come from git. Invisible formatting characters (bidi overrides, zero-width
 * spaces) are valid in git but make a name read as another, so they are refused too. Letters of any script are
 * fine: the source rules correct them as r10k does.
 */
public final class RefNames {

    private static final String FORBIDDEN = " ~^:?*[\\";

    private RefNames() {
    }

    /** @throws InvalidNameException naming the ref (escaped, so that it is safe to log) and what is wrong */
    public static void requireValid(String ref) {
        String problem = problem(ref);
        if (problem != null) {
            throw new InvalidNameException(printable(ref) + " is not a valid git ref name: " + problem);
        }
    }

    private static String problem(String ref) {
        for (int i = 0; i < ref.length(); ) {
            int c = ref.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL) {
                return "it contains a control character";
            }
            if (type == Character.FORMAT) {
                return String.format("it contains the invisible formatting character U+%04X", c);
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                return "it contains '" + Character.toString(c) + "'";
            }
            i += Character.charCount(c);
        }
        if (ref.contains("..") || ref.contains("@{") || ref.contains("//")) {
            return "it contains '..', '@{' or '//'";
        }
        if (ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock") || ref.startsWith("/")
                || ref.contains("/.") || ref.startsWith(".")) {
            return "a component starts with '.' or ends with '.lock', or the name starts or ends with '/'";
        }
        return null;
    }

    /** Control and formatting characters as {@code \\uXXXX}, at most 80 characters. */
    static String printable(String ref) {
        StringBuilder out = new StringBuilder();
        ref.codePoints().limit(80).forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return ref.codePointCount(0, ref.length()) > 80 ? out + "..." : out.toString();
    }
}
