package io.momentum.agent.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A Puppet Forge in the bench's process, on an ephemeral 127.0.0.1 port: the three v3 endpoints r10k (puppet_forge),
 * g10k and the native backend ask ({@code /v3/modules/<slug>}, {@code /v3/releases/<slug>-<version>},
 * {@code /v3/files/<slug>-<version>.tar.gz}), serving release tarballs laid out as {@code puppet module build} lays
 * them out (one top directory {@code <slug>-<version>/}, directory entries included). Counts the requests it answers,
 * a measure of work that does not depend on the machine's load.
 */
final class BenchForge implements AutoCloseable {

    private record Release(String slug, String version, byte[] tarball, String sha256, String md5) {

        String json() {
            String name = slug.substring(slug.indexOf('-') + 1);
            String owner = slug.substring(0, slug.indexOf('-'));
            return "{\"slug\":\"" + slug + "-" + version + "\",\"version\":\"" + version + "\",\"module\":{\"slug\":\""
                    + slug + "\",\"name\":\"" + name + "\",\"owner\":{\"slug\":\"" + owner + "\",\"username\":\"" + owner
                    + "\"}},\"file_uri\":\"/v3/files/" + slug + "-" + version + ".tar.gz\",\"file_size\":"
                    + tarball.length + ",\"file_md5\":\"" + md5 + "\",\"file_sha256\":\"" + sha256 + "\"}";
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "bench-forge");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Release> releases = new ConcurrentHashMap<>();
    private final Map<String, Release> current = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    BenchForge() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered so far. */
    long requests() {
        return requests.get();
    }

    /** Publishes release {@code version} of {@code author-name} with these files (path -> content); it becomes current. */
    void publish(String slug, String version, Map<String, String> files) {
        byte[] tarball = tarball(slug + "-" + version, files);
        Release release = new Release(slug, version, tarball, digest("SHA-256", tarball), digest("MD5", tarball));
        releases.put(slug + "-" + version, release);
        current.put(slug, release);
    }

    private static byte[] tarball(String top, Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TreeSet<String> directories = new TreeSet<>();
            for (String path : files.keySet()) {
                for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    directories.add(path.substring(0, slash));
                }
            }
            TarArchiveEntry root = new TarArchiveEntry(top + "/");
            root.setMode(040755);
            tar.putArchiveEntry(root);
            tar.closeArchiveEntry();
            for (String directory : directories) {
                TarArchiveEntry entry = new TarArchiveEntry(top + "/" + directory + "/");
                entry.setMode(040755);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> file : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(top + "/" + file.getKey());
                entry.setSize(content.length);
                entry.setMode(0100644);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            Release release;
            if (path.startsWith("/v3/modules/") && (release = current.get(path.substring(12))) != null) {
                String slug = release.slug();
                respond(exchange, 200, "application/json", ("{\"slug\":\"" + slug + "\",\"name\":\""
                        + slug.substring(slug.indexOf('-') + 1) + "\",\"deprecated_at\":null,\"superseded_by\":null,"
                        + "\"current_release\":" + release.json() + "}").getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v3/releases/") && (release = releases.get(path.substring(13))) != null) {
                respond(exchange, 200, "application/json", release.json().getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v3/files/") && path.endsWith(".tar.gz")
                    && (release = releases.get(path.substring(10, path.length() - 7))) != null) {
                respond(exchange, 200, "application/octet-stream", release.tarball());
            } else {
                respond(exchange, 404, "application/json",
                        "{\"message\":\"404 Not Found\",\"errors\":[\"no such module or release\"]}"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
