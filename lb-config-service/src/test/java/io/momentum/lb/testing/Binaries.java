package io.momentum.lb.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the real load balancer binaries; tests skip when they are missing. */
public final class Binaries {

    public static final Path NGINX_STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

    private Binaries() {
    }

    public static Optional<String> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    public static boolean nginxWithStream() {
        return find("nginx").isPresent() && Files.isRegularFile(NGINX_STREAM_MODULE);
    }

    public static boolean haproxy() {
        return find("haproxy").isPresent();
    }
}
