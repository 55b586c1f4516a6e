package io.momentum.lb.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
            Map<String, String> config = new HashMap<>(nginx.serviceConfig());
            if (Binaries.nginxWithStream()) {
                nginx.start();
            }
            config.put("momentum.lb.backends", "nginx");
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
            TempDirs.deleteRecursively(prefix);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
