package io.momentum.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Debian package's Puppet Server (7.9.5), started as a plain JVM under a temporary directory (about 40 s and
 * 1 GB: share one per test class). The package's {@code puppetserver} wrapper hardcodes {@code /etc/puppet} and
 * switches to the {@code puppet} user, so this copies the package's {@code conf.d} and {@code services.d}, points
 * every directory at the temp dir and the web server at 127.0.0.1 and a free port, creates a CA with
 * {@code puppetserver ca setup}, and runs {@code puppetserver.jar}. Agents' certificates are signed on request,
 * environments are cached until flushed (so a flush is observable), and the certificates in
 * {@code adminClients} may flush the environment cache through the admin API.
 */
public final class PuppetServer implements AutoCloseable {

    public static final Path INSTALL = Path.of("/usr/share/puppetserver");
    public static final Path PACKAGE_CONF = Path.of("/etc/puppet/puppetserver");
    public static final Path CLI = Path.of("/usr/bin/puppetserver");
    public static final Path PUPPET = Path.of("/usr/bin/puppet");
    public static final Path JRUBY_LIB = Path.of("/usr/share/jruby/lib");
    public static final String CERTNAME = "localhost";

    private final Path base;
    private final int port;
    private final Process process;

    private PuppetServer(Path base, int port, Process process) {
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

    /** Whether the Puppet agent ({@code puppet-agent}) is installed too. */
    public static boolean agentInstalled() {
        return Files.isExecutable(PUPPET);
    }

    /** Configures, sets up the CA and starts the server; returns once {@code /status/v1/simple} says running. */
    public static PuppetServer start(Path base, Duration readyWithin) {
        try {
            int port = KafkaBroker.freePort();
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
            PuppetServer server = new PuppetServer(base, port, process);
            server.awaitRunning(readyWithin);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRunning(Duration within) throws IOException {
        HttpClient client = HttpClient.newBuilder().sslContext(trustingCa()).connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/status/v1/simple"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(within);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("puppetserver exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals("running")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(1000);
        }
        close();
        throw new IllegalStateException("puppetserver not running within " + within + " (last: " + last + "):\n"
                + logTail());
    }

    private SSLContext trustingCa() {
        try (InputStream in = Files.newInputStream(caCert())) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory managers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            managers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void configure(Path base, int port) throws IOException {
        for (String dir : List.of("conf.d", "services.d", "confdir", "code/environments/production", "vardir",
                "rundir", "logdir", "gems", "ssl", "ca")) {
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
                // its own CA: the package's default is /etc/puppet/puppetserver/ca, shared by every run
                "cadir = " + base.resolve("ca"),
                "certname = " + CERTNAME,
                // cached until flushed, as a production server would be configured, so a flush is observable
                "environment_timeout = unlimited",
                "[server]",
                "dns_alt_names = " + CERTNAME + ",127.0.0.1",
                "autosign = true",
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
        allowEnvironmentCacheFlush(base.resolve("conf.d/auth.conf"));
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

    /**
     * The auth.conf rule the operator guide gives for the deploy agent's environment-cache flush: the server's
     * own certificate may {@code DELETE /puppet-admin-api/v1/environment-cache}.
     */
    private static void allowEnvironmentCacheFlush(Path authConf) throws IOException {
        String conf = Files.readString(authConf);
        String rule = String.join("\n",
                "        {",
                "            match-request: {",
                "                path: \"/puppet-admin-api/v1/environment-cache\"",
                "                type: path",
                "                method: delete",
                "            }",
                "            allow: [\"" + CERTNAME + "\"]",
                "            sort-order: 200",
                "            name: \"momentum environment-cache flush\"",
                "        },",
                "");
        int rules = conf.indexOf("rules: [");
        if (rules < 0) {
            throw new IOException(authConf + " has no rules list");
        }
        int insert = conf.indexOf('\n', rules) + 1;
        Files.writeString(authConf, conf.substring(0, insert) + rule + conf.substring(insert));
    }

    private static void caSetup(Path base) throws IOException {
        Process setup = new ProcessBuilder(CLI.toString(), "ca", "setup", "--config",
                base.resolve("confdir/puppet.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("ca-setup.log").toFile())
                .start();
        try {
            if (!setup.waitFor(120, TimeUnit.SECONDS)) {
                setup.destroyForcibly();
                throw new IllegalStateException("puppetserver ca setup did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (setup.exitValue() != 0 || !Files.isRegularFile(base.resolve("ssl/certs/ca.pem"))) {
            throw new IllegalStateException("puppetserver ca setup failed (" + setup.exitValue() + "):\n"
                    + Files.readString(base.resolve("ca-setup.log")));
        }
    }

    /** The result of one {@code puppet agent -t} run: its exit code (0 or 2: a catalog applied) and output. */
    public record AgentRun(int exitCode, String output) {
        public boolean appliedACatalog() {
            return exitCode == 0 || exitCode == 2;
        }
    }

    /**
     * Runs {@code puppet agent -t} as a fresh node {@code certname} against {@code host:port} (this server, or a
     * load balancer in front of it), with its own confdir under {@code dir}.
     */
    public AgentRun runAgent(Path dir, String certname, String environment, String host, int port,
            Duration timeout) {
        try {
            Path agent = dir.resolve("agent-" + certname);
            // The node trusts this CA from the start, as a provisioned node does (no trust on first use); it fetches the CRL.
            Path certs = Files.createDirectories(agent.resolve("ssl/certs"));
            Files.copy(caCert(), certs.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> command = new ArrayList<>(List.of(PUPPET.toString(), "agent", "--test",
                    "--confdir", agent.resolve("conf").toString(), "--vardir", agent.resolve("var").toString(),
                    "--ssldir", agent.resolve("ssl").toString(), "--logdir", agent.resolve("log").toString(),
                    "--rundir", agent.resolve("run").toString(), "--codedir", agent.resolve("code").toString(),
                    "--certname", certname, "--server", host, "--masterport", Integer.toString(port),
                    "--environment", environment, "--waitforcert", "0", "--color", "false"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(agent.resolve("run.log").toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new AgentRun(-1, "puppet agent did not finish within " + timeout + ":\n"
                        + Files.readString(agent.resolve("run.log")));
            }
            return new AgentRun(process.exitValue(), Files.readString(agent.resolve("run.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AgentRun(-1, "interrupted");
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "https://" + CERTNAME + ":" + port;
    }

    /** The environments directory this server compiles from: where a deploy agent writes. */
    public Path environmentsDir() {
        return base.resolve("code/environments");
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

    public boolean isAlive() {
        return process.isAlive();
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
