package io.momentum.lb.backend;

import io.momentum.lb.config.LbConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the load balancer backends named in {@code momentum.lb.backends}. */
public final class BackendFactory {

    private BackendFactory() {
    }

    public static List<LoadBalancerBackend> create(LbConfig config) {
        List<LoadBalancerBackend> backends = new ArrayList<>();
        for (String name : new LinkedHashSet<>(config.backends())) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "nginx" -> backends.add(nginx(config));
                case "haproxy" -> backends.add(haproxy(config));
                default -> throw new IllegalArgumentException("momentum.lb.backends: unknown backend '" + name
                        + "' (nginx, haproxy)");
            }
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("momentum.lb.backends names no backend");
        }
        return backends;
    }

    private static NginxBackend nginx(LbConfig config) {
        LbConfig.Nginx nginx = config.nginx();
        NginxSettings settings = new NginxSettings(nginx.binary(), nginx.prefix(), nginx.mainConfig(),
                nginx.outputFile(), nginx.errorLog(), nginx.reloadCommand().orElse(List.of()), nginx.mode(),
                nginx.listen(), nginx.upstream(), nginx.connectTimeout());
        return new NginxBackend(config.lbId(), settings,
                new TemplateRenderer(nginx.template(), settings.defaultTemplate()),
                config.commandTimeout());
    }

    private static HaproxyBackend haproxy(LbConfig config) {
        LbConfig.Haproxy haproxy = config.haproxy();
        HaproxySettings settings = new HaproxySettings(haproxy.binary(), haproxy.configFile(), haproxy.baseConfigs(),
                Optional.of(haproxy.masterSocket()), Optional.of(haproxy.adminSocket()), haproxy.backendName(),
                haproxy.reloadCommand().orElse(List.of()), haproxy.reloadTimeout());
        return new HaproxyBackend(config.lbId(), settings,
                new TemplateRenderer(haproxy.template(), "templates/haproxy-backend.cfg"),
                config.commandTimeout());
    }
}
