package io.momentum.lb.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code host:port} the load balancer connects to. Parsed strictly because it is written verbatim into nginx and
 * HAProxy configuration: anything but a hostname, an IPv4 or a bracketed IPv6 literal and a port is refused, so a
 * status record can never inject configuration.
 */
public record LbAddress(String host, int port) {

    private static final Pattern HOST_PORT = Pattern.compile(
            "(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[(?<ipv6>[0-9A-Fa-f:.]{2,45})\\]):(?<port>[0-9]{1,5})");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

    public static Optional<LbAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = HOST_PORT.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group("port"));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String ipv6 = matcher.group("ipv6");
        return Optional.of(new LbAddress(ipv6 != null ? ipv6 : matcher.group("host"), port));
    }

    /** IP literals can be changed through HAProxy's Runtime API; hostnames need a reload to be resolved. */
    public boolean isIpLiteral() {
        return host.contains(":") || IPV4.matcher(host).matches();
    }

    /** {@code host:port} as nginx and HAProxy expect it (IPv6 in brackets). */
    public String render() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return render();
    }
}
