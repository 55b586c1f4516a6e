package io.momentum.lb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real unprivileged nginx for {@code @QuarkusTest}s, started before the application with a placeholder include
 * file, and the {@code momentum.lb.nginx.*} keys pointing the service at it. Without nginx the keys still point at
 * a temporary directory (tests that need nginx skip).
 */
public class NginxTestResource implements QuarkusTestResourceLifecycleManager {

    private NginxInstance nginx;
    private Path prefix;

    @Override
    public Map<String, String> start() {
        try {
            prefix = Files.createTempDirectory("momentum-lb-nginx");
            nginx = new NginxInstance(prefix);
            Files.writeString(nginx.outputFile(), """
                    upstream placeholder { server 127.0.0.1:9; }
                    server { listen 127.0.0.1:%d; proxy_pass placeholder; }
                    """.formatted(nginx.port()));
            if (Binaries.nginxWithStream()) {
                nginx.start();
            }
            Map<String, String> config = new HashMap<>();
            config.put("momentum.lb.backends", "nginx");
            config.put("momentum.lb.nginx.binary", Binaries.find("nginx").orElse("nginx"));
            config.put("momentum.lb.nginx.prefix", prefix.toString());
            config.put("momentum.lb.nginx.main-config", nginx.mainConfig().toString());
            config.put("momentum.lb.nginx.output-file", nginx.outputFile().toString());
            config.put("momentum.lb.nginx.error-log", prefix.resolve("logs/error.log").toString());
            config.put("momentum.lb.nginx.listen", "127.0.0.1:" + nginx.port());
            config.put("momentum.lb.nginx.upstream", nginx.settings(List.of()).upstream());
            config.put("momentum.lb.nginx.connect-timeout", nginx.settings(List.of()).connectTimeout().toString());
            config.put("momentum.lb.state-dir", prefix.resolve("state").toString());
            return config;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare nginx", e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(nginx,
                new TestInjector.AnnotatedAndMatchesType(InjectNginx.class, NginxInstance.class));
    }

    @Override
    public void stop() {
        try {
            if (nginx != null) {
                nginx.close();
            }
            if (prefix != null) {
                try (Stream<Path> paths = Files.walk(prefix)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
