package io.momentum.git;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Sends git traffic (JGit's HTTPS and, through HTTP CONNECT, its SSH connections) through the configured proxy,
 * except to loopback and the {@code no_proxy} hosts ({@code example.net} and {@code .example.net} both match
 * subdomains).
 */
final class GitProxySelector extends ProxySelector {

    private final Proxy proxy;
    private final List<String> noProxy;

    GitProxySelector(String proxyUrl, List<String> noProxy) {
        URI uri = URI.create(proxyUrl.contains("://") ? proxyUrl : "http://" + proxyUrl);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("momentum.git.proxy is not a proxy URL: " + proxyUrl);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 3128;
        this.proxy = new Proxy(uri.getScheme().toLowerCase(Locale.ROOT).startsWith("socks") ? Proxy.Type.SOCKS
                : Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
        this.noProxy = noProxy.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return direct(host) ? List.of(Proxy.NO_PROXY) : List.of(proxy);
    }

    private boolean direct(String host) {
        if (host.isEmpty() || host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]")) {
            return true;
        }
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String domain = entry.startsWith(".") ? entry.substring(1) : entry;
            if (host.equals(domain) || host.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException error) {
        // Nothing to fall back to: the caller reports the failure.
    }
}
