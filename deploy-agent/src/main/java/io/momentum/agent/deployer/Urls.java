package io.momentum.agent.deployer;

import java.util.regex.Pattern;

/** Repository URLs as they may appear in messages: credentials never do. */
final class Urls {

    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@]+@");

    private Urls() {
    }

    static String redact(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceFirst("***@");
    }
}
