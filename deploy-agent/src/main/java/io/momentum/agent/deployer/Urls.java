package io.momentum.agent.deployer;

import java.util.regex.Pattern;

/**
 * Repository URLs as they may appear in messages: credentials never do. An HTTP(S) URL's user part can be a token
 * ({@code https://<token>@host/...}), so all of it goes; an SSH user ({@code ssh://git@host/...}) is no secret and
 * stays, only a password after it goes.
 */
final class Urls {

    private static final Pattern HTTP_USER_INFO = Pattern.compile("(?i)(?<=^https?://)[^/@]+@");
    private static final Pattern PASSWORD = Pattern.compile("(?<=://)([^/@:]+):[^/@]+@");

    private Urls() {
    }

    static String redact(String url) {
        if (url == null) {
            return null;
        }
        String redacted = HTTP_USER_INFO.matcher(url).replaceFirst("***@");
        return PASSWORD.matcher(redacted).replaceFirst("$1:***@");
    }
}
