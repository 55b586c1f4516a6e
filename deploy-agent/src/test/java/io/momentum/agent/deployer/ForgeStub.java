package io.momentum.agent.deployer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** A Puppet Forge v3 API on 127.0.0.1 serving tarballs built in memory. */
final class ForgeStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();
    private final Map<String, String> checksums = new ConcurrentHashMap<>();
    private final Map<String, String> md5s = new ConcurrentHashMap<>();
    private final Map<String, String> latest = new ConcurrentHashMap<>();
    volatile CountDownLatch downloadStarted = new CountDownLatch(1);
    volatile CountDownLatch holdDownloads;
    /** The next requests under {@link #failingPath} answered with {@link #failingStatus} instead, one fewer each. */
    final AtomicInteger failNext = new AtomicInteger();
    volatile int failingStatus = 503;
    volatile String failingPath = "/";
    final AtomicInteger requests = new AtomicInteger();

    ForgeStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "forge-stub");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Publishes {@code author-name-version} with the given files (path -> content) under the usual top directory. */
    void publish(String slug, String version, Map<String, String> files) {
        byte[] tarball = tarball(slug + "-" + version, files);
        tarballs.put(slug + "-" + version, tarball);
        checksums.put(slug + "-" + version, sha256(tarball));
        md5s.put(slug + "-" + version, digest("MD5", tarball));
        latest.put(slug, version);
    }

    void publishRaw(String slug, String version, byte[] tarball, String sha256) {
        tarballs.put(slug + "-" + version, tarball);
        checksums.put(slug + "-" + version, sha256);
        latest.put(slug, version);
    }

    static byte[] tarball(String top, Map<String, String> files) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Map.Entry<String, String> file : files.entrySet()) {
                    String name = file.getKey().startsWith("/") || file.getKey().startsWith("..")
                            ? file.getKey() : top + "/" + file.getKey();
                    if (file.getValue().startsWith("->")) {
                        TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        link.setLinkName(file.getValue().substring(2));
                        tar.putArchiveEntry(link);
                    } else {
                        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                        TarArchiveEntry entry = new TarArchiveEntry(name);
                        entry.setSize(content.length);
                        entry.setMode(0100644);
                        tar.putArchiveEntry(entry);
                        tar.write(content);
                    }
                    tar.closeArchiveEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return digest("SHA-256", bytes);
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            requests.incrementAndGet();
            if (path.startsWith(failingPath) && failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, failingStatus, "{\"message\":\"try again later\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v3/releases/") && tarballs.containsKey(path.substring(13))) {
                String release = path.substring(13);
                respond(exchange, 200, ("{\"file_uri\":\"/v3/files/" + release + ".tar.gz\",\"file_sha256\":\""
                        + checksums.get(release) + "\",\"file_md5\":\"" + md5s.getOrDefault(release, "")
                        + "\",\"version\":\"" + release.substring(release.lastIndexOf('-') + 1) + "\"}").getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v3/modules/") && latest.containsKey(path.substring(12))) {
                respond(exchange, 200, ("{\"current_release\":{\"version\":\"" + latest.get(path.substring(12))
                        + "\"}}").getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v3/files/") && path.endsWith(".tar.gz")) {
                downloadStarted.countDown();
                CountDownLatch hold = holdDownloads;
                if (hold != null) {
                    try {
                        hold.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] tarball = tarballs.get(path.substring(10, path.length() - 7));
                respond(exchange, tarball == null ? 404 : 200, tarball == null ? new byte[0] : tarball);
            } else {
                respond(exchange, 404, "{\"message\":\"404 Not Found\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean json = body.length > 0 && body[0] == '{';
        exchange.getResponseHeaders().set("Content-Type", json ? "application/json" : "application/octet-stream");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        CountDownLatch hold = holdDownloads;
        if (hold != null) {
            hold.countDown();
        }
        server.stop(0);
    }
}
