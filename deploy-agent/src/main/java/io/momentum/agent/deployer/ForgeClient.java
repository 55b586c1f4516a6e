package io.momentum.agent.deployer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Puppet Forge v3 client with a tarball cache under {@code <cacheDir>/forge}: a pinned release is downloaded
 * once, verified against the Forge's SHA-256 (or MD5) and then served from the cache without asking the Forge again.
 *
 * <p>An answer that says "not now" (HTTP 429, 5xx) or a network error other than a timeout is tried again twice,
 * after 0.5 s and 1 s: a Forge or CDN blip does not fail a plan or a deploy. When it persists, the failure carries
 * {@link Unavailable}, which the planner treats like an unreachable repository (planned again later); a 404 or a bad
 * tarball is final.
 */
final class ForgeClient {

    private static final int ATTEMPTS = 3;
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> EXECUTABLE = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private final String baseUrl;
    private final Path cache;
    private final Duration timeout;
    private final HttpClient http;

    ForgeClient(String baseUrl, Path cache, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.cache = cache;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The Forge's current release of {@code author-name}. */
    String latestVersion(String slug) throws DeployException {
        JsonNode release = getJson("/v3/modules/" + slug, "module " + slug).path("current_release");
        String version = release.path("version").asText(null);
        if (version == null || !version.matches("[0-9A-Za-z.+-]+")) {
            throw new DeployException("the Forge names no current release of " + slug);
        }
        return version;
    }

    /**
     * One release as the Forge describes it, without downloading it: its exact version and the SHA-256 of its
     * tarball (none when the Forge publishes only an MD5). How a plan pins a Forge module.
     */
    Release release(String slug, String version) throws DeployException {
        JsonNode release = getJson("/v3/releases/" + slug + "-" + version, "release " + slug + " " + version);
        String named = release.path("version").asText("");
        String sha256 = release.path("file_sha256").asText("");
        return new Release(named.matches("[0-9A-Za-z.+-]+") ? named : version,
                sha256.matches("[0-9a-fA-F]{64}") ? sha256.toLowerCase() : null);
    }

    /** A Forge release: {@code version} exactly as the Forge names it, {@code sha256} of its tarball or null. */
    record Release(String version, String sha256) {
    }

    /**
     * The tarball of one release whose SHA-256 is exactly {@code sha256} (what a plan pinned), from the cache or
     * downloaded into it; anything else fails, and a cached file that does not match is removed.
     */
    Path tarball(String slug, String version, String sha256) throws DeployException {
        Path tarball = tarball(slug, version);
        String actual;
        try {
            actual = sha256(tarball);
        } catch (IOException e) {
            throw new DeployException("cannot read the Forge tarball of " + slug + " " + version + ": "
                    + e.getMessage(), e);
        }
        if (!actual.equalsIgnoreCase(sha256)) {
            try {
                Files.deleteIfExists(tarball);
            } catch (IOException e) {
                // The next deploy checks it again.
            }
            throw new DeployException("the Forge tarball of " + slug + " " + version + " fails the plan's SHA-256 "
                    + "check (planned " + sha256 + ", got " + actual + "): the release changed since it was planned,"
                    + " or the download was tampered with");
        }
        return tarball;
    }

    /** The SHA-256 (hex) of a file. */
    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The verified tarball of one release, from the cache or downloaded into it. */
    Path tarball(String slug, String version) throws DeployException {
        Path cached = cache.resolve(slug + "-" + version + ".tar.gz");
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        JsonNode release = getJson("/v3/releases/" + slug + "-" + version, "release " + slug + " " + version);
        String fileUri = release.path("file_uri").asText(null);
        if (fileUri == null) {
            throw new DeployException("the Forge release " + slug + " " + version + " has no file_uri");
        }
        URI uri = fileUri.startsWith("http://") || fileUri.startsWith("https://") ? URI.create(fileUri)
                : URI.create(baseUrl + (fileUri.startsWith("/") ? "" : "/") + fileUri);
        String sha256 = release.path("file_sha256").asText(null);
        String md5 = release.path("file_md5").asText(null);
        try {
            Files.createDirectories(cache);
            Path partial = cache.resolve(".download-" + UUID.randomUUID());
            try {
                HttpResponse<InputStream> response = send(uri, HttpResponse.BodyHandlers.ofInputStream());
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                MessageDigest md = MessageDigest.getInstance("MD5");
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        throw refused(response.statusCode(), "downloading " + slug + " " + version
                                + " from the Forge answered HTTP " + response.statusCode());
                    }
                    try (InputStream in = new DigestInputStream(new DigestInputStream(body, sha), md);
                            OutputStream out = Files.newOutputStream(partial)) {
                        in.transferTo(out);
                    }
                }
                verify(slug, version, "SHA-256", sha256, sha.digest());
                if (sha256 == null) {
                    verify(slug, version, "MD5", md5, md.digest());
                }
                Files.move(partial, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return cached;
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new DeployException("cannot download " + slug + " " + version + " from the Forge: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while downloading " + slug + " " + version);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verify(String slug, String version, String algorithm, String expected, byte[] actual)
            throws DeployException {
        if (expected != null && !expected.isEmpty() && !HexFormat.of().formatHex(actual).equalsIgnoreCase(expected)) {
            throw new DeployException("the Forge tarball of " + slug + " " + version + " fails its " + algorithm
                    + " check: the download is corrupt or was tampered with");
        }
    }

    private JsonNode getJson(String path, String what) throws DeployException {
        try {
            HttpResponse<byte[]> response = send(URI.create(baseUrl + path), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                throw new DeployException("the Forge at " + baseUrl + " has no " + what);
            }
            if (response.statusCode() != 200) {
                throw refused(response.statusCode(), "the Forge at " + baseUrl + " answered HTTP "
                        + response.statusCode() + " for " + what);
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DeployException("cannot reach the Forge at " + baseUrl + " for " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while asking the Forge for " + what);
        }
    }

    /** Sends a GET, again after an answer that says "not now" or a network error, {@link #ATTEMPTS} times at most. */
    private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> response = http.send(request(uri), body);
                if (attempt == ATTEMPTS || !unavailable(response.statusCode())) {
                    return response;
                }
                if (response.body() instanceof InputStream unread) {
                    unread.close();
                }
            } catch (IOException e) {
                // A timeout already waited the whole command-timeout: trying again would multiply it.
                if (attempt == ATTEMPTS || e instanceof HttpTimeoutException) {
                    throw e;
                }
            }
            Thread.sleep(delay.toMillis());
            delay = delay.multipliedBy(2);
        }
    }

    /** An answer that says "not now": too many requests or a server-side failure. */
    private static boolean unavailable(int status) {
        return status == 429 || status >= 500;
    }

    /** A final answer other than 200: carrying {@link Unavailable} when it said "not now" every time it was asked. */
    private static DeployException refused(int status, String message) {
        return unavailable(status) ? new DeployException(message + " " + ATTEMPTS + " times", new Unavailable(message))
                : new DeployException(message);
    }

    /** The Forge kept answering "not now" (HTTP 429 or 5xx): what may work later, like an unreachable host. */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    private HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "momentum-deploy-agent").GET().build();
    }

    /**
     * Extracts a Forge tarball into {@code target}, dropping its top-level {@code author-name-version/} directory.
     * Entries that would land outside the target, hard links and symbolic links pointing out of the module are
     * refused: a tarball is input from the network.
     *
     * @return how many files were written
     */
    static int extract(Path tarball, Path target, boolean excludeSpec) throws IOException, InterruptedException {
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        int files = 0;
        try (InputStream raw = Files.newInputStream(tarball);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while extracting " + tarball.getFileName());
                }
                String name = entry.getName();
                while (name.startsWith("./")) {
                    name = name.substring(2);
                }
                int slash = name.indexOf('/');
                String relative = slash < 0 ? "" : name.substring(slash + 1);
                if (relative.isEmpty() || excludeSpec && (relative.equals("spec") || relative.startsWith("spec/"))) {
                    continue;
                }
                Path file = root.resolve(relative).normalize();
                if (!file.startsWith(root) || relative.startsWith("/")) {
                    throw new IOException("tarball entry '" + name + "' leaves the module directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else if (entry.isSymbolicLink()) {
                    Path linkTarget = Paths.get(entry.getLinkName());
                    if (linkTarget.isAbsolute() || !file.getParent().resolve(linkTarget).normalize().startsWith(root)) {
                        throw new IOException("tarball symlink '" + name + "' points outside the module");
                    }
                    Files.createDirectories(file.getParent());
                    Files.createSymbolicLink(file, linkTarget);
                    files++;
                } else if (entry.isFile()) {
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        Files.setPosixFilePermissions(file, EXECUTABLE);
                    }
                    files++;
                } else {
                    throw new IOException("tarball entry '" + name + "' is neither file, directory nor symlink");
                }
            }
        }
        return files;
    }
}
