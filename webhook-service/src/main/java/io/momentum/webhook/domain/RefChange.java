package io.momentum.webhook.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One ref a push moved.
 *
 * @param ref the full ref name ({@code refs/heads/main}, {@code refs/tags/v1})
 * @param after the commit the ref points at now, {@code null} when deleted or unknown
 * @param deleted the ref was removed
 */
public record RefChange(String ref, String after, boolean deleted) {

    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";
    private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ZEROS = Pattern.compile("0+");

    /** A change from a payload's before/after pair, where an all-zero {@code after} means a deletion. */
    public static RefChange of(String ref, String after, boolean deletedFlag) {
        boolean zero = after != null && ZEROS.matcher(after).matches();
        boolean deleted = deletedFlag || zero;
        return new RefChange(ref, deleted ? null : commitOrNull(after), deleted);
    }

    public boolean isBranch() {
        return ref.startsWith(HEADS);
    }

    public boolean isTag() {
        return ref.startsWith(TAGS);
    }

    /** The branch or tag name without its {@code refs/...} prefix. */
    public String shortName() {
        if (isBranch()) {
            return ref.substring(HEADS.length());
        }
        return isTag() ? ref.substring(TAGS.length()) : ref;
    }

    /** A 40-hex commit id, lower-cased, or {@code null} for anything else (unknown, SHA-256 repositories). */
    public static String commitOrNull(String sha) {
        if (sha == null) {
            return null;
        }
        String lower = sha.trim().toLowerCase(Locale.ROOT);
        return SHA1.matcher(lower).matches() && !ZEROS.matcher(lower).matches() ? lower : null;
    }
}
