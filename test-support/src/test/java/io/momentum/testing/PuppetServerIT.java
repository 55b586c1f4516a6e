package io.momentum.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Puppet Server harness: an agent gets a catalog, and the server's own certificate may flush its cache. */
class PuppetServerIT {

    @Test
    void anAgentGetsACatalogAndTheServerCertificateFlushesTheEnvironmentCache(@TempDir Path dir) throws Exception {
        assumeTrue(PuppetServer.installed() && PuppetServer.agentInstalled(), "puppetserver or puppet-agent missing");
        try (PuppetServer server = PuppetServer.start(dir.resolve("server"), Duration.ofSeconds(180))) {
            Path manifests = Files.createDirectories(server.environmentsDir().resolve("production/manifests"));
            Files.writeString(manifests.resolve("site.pp"), "notify { 'hello from momentum': }\n");

            PuppetServer.AgentRun run = server.runAgent(dir, "agent1.example.net", "production", "localhost",
                    server.port(), Duration.ofSeconds(120));
            assertThat(run.appliedACatalog()).as(run.output() + listing(dir)).isTrue();
            assertThat(run.output()).contains("hello from momentum");

            Process flush = new ProcessBuilder(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "--cacert", server.caCert().toString(), "--cert", server.hostCert().toString(),
                    "--key", server.hostKey().toString(), "-X", "DELETE",
                    server.url() + "/puppet-admin-api/v1/environment-cache?environment=production"))
                    .redirectErrorStream(true).start();
            String status = new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(flush.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(status).isEqualTo("204");
        }
    }

    private static String listing(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(p -> p.toString().contains("ssl")).map(Path::toString)
                    .collect(java.util.stream.Collectors.joining("\n", "\n", ""));
        }
    }
}
