package io.momentum.health.probe;

import io.momentum.health.domain.ProbeOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Debian package's Puppet Server (7.9.5), started as a plain JVM under a temporary directory: the package's
 * {@code puppetserver} wrapper hardcodes {@code /etc/puppet} and switches to the {@code puppet} user, so this copies
 * the package's {@code conf.d} and {@code services.d}, points every directory at the temp dir and the web server
 * at 127.0.0.1 and a free port, creates a CA with {@code puppetserver ca setup}, and runs {@code puppetserver.jar}.
 */
public final class RealPuppetServer implements AutoCloseable {

    static final Path INSTALL = Path.of("/usr/share/puppetserver");
    static final Path PACKAGE_CONF = Path.of("/etc/puppet/puppetserver");
    static final Path CLI = Path.of("/usr/bin/puppetserver");
    static final Path JRUBY_LIB = Path.of("/usr/share/jruby/lib");
    static final String CERTNAME = "localhost";

    private final Path base;
    private final int port;
    private final Process process;

    private RealPuppetServer(Path base, int port, Process process) {
        this.base = base;
        this.port = port;
        this.process = process;
    }

    /** Whether the package is installed as this class expects. */
    public static boolean installed() {
        return Files.isRegularFile(INSTALL.resolve("puppetserver.jar")) && Files.isDirectory(PACKAGE_CONF
                .resolve("conf.d")) && Files.isDirectory(PACKAGE_CONF.resolve("services.d"))
                && Files.isExecutable(CLI) && Files.isDirectory(JRUBY_LIB);
    }

    /** Configures, sets up the CA and starts the server; returns once {@code /status/v1/simple} says running. */
    public static RealPuppetServer start(Path base, Duration readyWithin) throws Exception {
        int port = freePort();
        configure(base, port);
        caSetup(base);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC",
                // as the package's CLI passes them: JRuby's native subprocess control needs them on Java 17
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "-Djruby.lib=" + JRUBY_LIB,
                "-Djruby.logger.class=com.puppetlabs.jruby_utils.jruby.Slf4jLogger",
                "-jar", INSTALL.resolve("puppetserver.jar").toString(),
                "--config", base.resolve("conf.d").toString(),
                "--bootstrap-config", base.resolve("services.d").toString());
        Process process = new ProcessBuilder(command)
                .directory(INSTALL.toFile())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("puppetserver.log").toFile())
                .start();
        RealPuppetServer server = new RealPuppetServer(base, port, process);
        server.awaitRunning(readyWithin);
        return server;
    }

    private void awaitRunning(Duration within) throws Exception {
        Duration timeout = Duration.ofSeconds(2);
        PuppetStatusClient client = new PuppetStatusClient(
                PuppetStatusClient.httpClient(PemContexts.trusting(caCert()), timeout), timeout, false,
                Clock.systemUTC());
        Instant deadline = Instant.now().plus(within);
        ProbeOutcome last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("puppetserver exited with " + process.exitValue() + ":\n" + logTail());
            }
            last = client.probe(url()).get(10, TimeUnit.SECONDS);
            if (last.healthy()) {
                return;
            }
            Thread.sleep(1000);
        }
        close();
        throw new IllegalStateException("puppetserver not running within " + within + " (last probe: "
                + (last == null ? "none" : last.reason()) + "):\n" + logTail());
    }

    private static void configure(Path base, int port) throws IOException {
        for (String dir : List.of("conf.d", "services.d", "confdir", "code/environments/production", "vardir",
                "rundir", "logdir", "gems", "ssl")) {
            Files.createDirectories(base.resolve(dir));
        }
        copyDir(PACKAGE_CONF.resolve("conf.d"), base.resolve("conf.d"));
        copyDir(PACKAGE_CONF.resolve("services.d"), base.resolve("services.d"));
        Files.writeString(base.resolve("confdir/puppet.conf"), String.join("\n",
                "[main]",
                "confdir = " + base.resolve("confdir"),
                "codedir = " + base.resolve("code"),
                "vardir = " + base.resolve("vardir"),
                "logdir = " + base.resolve("logdir"),
                "rundir = " + base.resolve("rundir"),
                "ssldir = " + base.resolve("ssl"),
                "certname = " + CERTNAME,
                "[server]",
                "dns_alt_names = " + CERTNAME,
                ""));
        Files.writeString(base.resolve("conf.d/puppetserver.conf"), String.join("\n",
                "jruby-puppet: {",
                "    ruby-load-path: [/usr/lib/puppetserver/ruby/vendor_ruby]",
                "    gem-home: " + base.resolve("gems"),
                "    gem-path: [${jruby-puppet.gem-home}, \"/usr/lib/puppetserver/vendored-jruby-gems\"]",
                "    server-conf-dir: " + base.resolve("confdir"),
                "    server-code-dir: " + base.resolve("code"),
                "    server-var-dir: " + base.resolve("vardir"),
                "    server-run-dir: " + base.resolve("rundir"),
                "    server-log-dir: " + base.resolve("logdir"),
                "    max-active-instances: 1",
                "}",
                "http-client: {}",
                "profiler: {}",
                ""));
        Files.writeString(base.resolve("conf.d/webserver.conf"), String.join("\n",
                "webserver: {",
                "    client-auth: want",
                "    ssl-host: 127.0.0.1",
                "    ssl-port: " + port,
                "}",
                ""));
        Files.writeString(base.resolve("logback.xml"), String.join("\n",
                "<configuration>",
                "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d %-5p [%c{2}] %m%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"info\"><appender-ref ref=\"STDOUT\"/></root>",
                "</configuration>",
                ""));
        Files.writeString(base.resolve("conf.d/global.conf"),
                "global: {\n    logging-config: " + base.resolve("logback.xml") + "\n}\n");
    }

    private static void caSetup(Path base) throws Exception {
        Process setup = new ProcessBuilder(CLI.toString(), "ca", "setup", "--config",
                base.resolve("confdir/puppet.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("ca-setup.log").toFile())
                .start();
        if (!setup.waitFor(120, TimeUnit.SECONDS)) {
            setup.destroyForcibly();
            throw new IllegalStateException("puppetserver ca setup did not finish within 120 s");
        }
        if (setup.exitValue() != 0 || !Files.isRegularFile(base.resolve("ssl/certs/ca.pem"))) {
            throw new IllegalStateException("puppetserver ca setup failed (" + setup.exitValue() + "):\n"
                    + Files.readString(base.resolve("ca-setup.log")));
        }
    }

    public String url() {
        return "https://" + CERTNAME + ":" + port;
    }

    public Path caCert() {
        return base.resolve("ssl/certs/ca.pem");
    }

    public Path hostCert() {
        return base.resolve("ssl/certs/" + CERTNAME + ".pem");
    }

    /** The host key as Puppet wrote it (PKCS#1). */
    public Path hostKey() {
        return base.resolve("ssl/private_keys/" + CERTNAME + ".pem");
    }

    public long pid() {
        return process.pid();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(base.resolve("puppetserver.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the JVM like systemd would (SIGTERM), forcibly if it does not exit in time. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
