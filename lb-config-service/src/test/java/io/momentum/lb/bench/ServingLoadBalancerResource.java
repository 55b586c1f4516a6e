package io.momentum.lb.bench;

import io.momentum.lb.testing.Binaries;
import io.momentum.lb.testing.HaproxyInstance;
import io.momentum.lb.testing.NginxInstance;
import io.momentum.lb.testing.TempDirs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One real load balancer (argument {@code lb}: {@code nginx} or {@code haproxy}) started before the application,
 * with a placeholder configuration, and the {@code momentum.lb.*} keys pointing the service at it. The port traffic
 * goes through is handed to the benchmark as {@code bench.lb.port}. Nothing is started when the binary is missing
 * (the benchmark then skips).
 */
public class ServingLoadBalancerResource implements QuarkusTestResourceLifecycleManager {

    private String lb;
    private Path dir;
    private AutoCloseable instance;

    @Override
    public void init(Map<String, String> initArgs) {
        lb = initArgs.getOrDefault("lb", "nginx");
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("momentum-bench-" + lb);
            Map<String, String> config = new HashMap<>();
            config.put("momentum.lb.backends", lb);
            config.put("momentum.lb.state-dir", dir.resolve("state").toString());
            config.put("bench.lb.name", lb);
            switch (lb) {
                case "nginx" -> {
                    NginxInstance nginx = new NginxInstance(dir.resolve("nginx"));
                    instance = nginx;
                    config.putAll(nginx.serviceConfig());
                    config.put("bench.lb.port", Integer.toString(nginx.port()));
                    if (Binaries.nginxWithStream()) {
                        nginx.start();
                    }
                }
                case "haproxy" -> {
                    HaproxyInstance haproxy = new HaproxyInstance(dir.resolve("haproxy"));
                    instance = haproxy;
                    Files.writeString(haproxy.configFile(), "backend " + HaproxyInstance.BACKEND + "\n    mode tcp\n");
                    config.put("momentum.lb.haproxy.binary", Binaries.find("haproxy").orElse("haproxy"));
                    config.put("momentum.lb.haproxy.config-file", haproxy.configFile().toString());
                    config.put("momentum.lb.haproxy.base-configs", haproxy.mainConfig().toString());
                    config.put("momentum.lb.haproxy.master-socket", haproxy.masterSocket().toString());
                    config.put("momentum.lb.haproxy.admin-socket", haproxy.adminSocket().toString());
                    config.put("momentum.lb.haproxy.backend-name", HaproxyInstance.BACKEND);
                    config.put("bench.lb.port", Integer.toString(haproxy.port()));
                    if (Binaries.haproxy()) {
                        haproxy.start();
                    }
                }
                default -> throw new IllegalArgumentException("lb must be nginx or haproxy, not " + lb);
            }
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare " + lb, e);
        }
    }

    @Override
    public void stop() {
        try {
            if (instance != null) {
                instance.close();
            }
            TempDirs.deleteRecursively(dir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
