package io.momentum.lb.backend.haproxy;

import io.momentum.lb.backend.ConfigFiles;
import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.backend.haproxy.HaproxyRuntime.ProcessTable;
import io.momentum.lb.backend.haproxy.HaproxyRuntime.RuntimeServer;
import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LbServer;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.service.process.Command;
import io.momentum.service.process.ProcessResult;
import io.momentum.service.process.ProcessRunner;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * HAProxy: renders the backend section with one named server per master and validates it ({@code haproxy -c}).
 * When HAProxy already runs exactly these servers, the differences (ready, drain, maintenance, IP address) go
 * through the Runtime API without a reload, and the file is then replaced so that a later reload keeps them.
 * Added or removed servers (and hostname address changes) are structural: the file is swapped in and HAProxy
 * reloaded through its master CLI, which is confirmed by a new worker in {@code show proc}. A failed reload puts
 * the previous file back and reloads again.
 */
@ApplicationScoped
@Identifier("haproxy")
public class HaproxyLoadBalancer implements LoadBalancer {

    private static final Logger LOG = Logger.getLogger(HaproxyLoadBalancer.class);
    /** Weight of an active server in the default template (HAProxy's default). */
    private static final int ACTIVE_WEIGHT = 1;
    private static final String DEFAULT_TEMPLATE = "templates/haproxy-backend.cfg";

    private final String lbId;
    private final HaproxySettings settings;
    private final TemplateRenderer renderer;
    private final Duration commandTimeout;
    private final HaproxyRuntime runtime;

    @Inject
    HaproxyLoadBalancer(LbConfig config) {
        this(config.lbId(), HaproxySettings.of(config.haproxy()),
                new TemplateRenderer(config.haproxy().template(), DEFAULT_TEMPLATE), config.commandTimeout());
    }

    public HaproxyLoadBalancer(String lbId, HaproxySettings settings, TemplateRenderer renderer,
            Duration commandTimeout) {
        this.lbId = lbId;
        this.settings = settings;
        this.renderer = renderer;
        this.commandTimeout = commandTimeout;
        this.runtime = new HaproxyRuntime(settings);
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public String liveSha256() {
        return ConfigFiles.sha256OfFile(settings.configFile());
    }

    @Override
    public ApplyOutcome apply(BackendSet set) {
        Path output = settings.configFile().toAbsolutePath();
        byte[] rendered;
        try {
            rendered = renderer.render(set, lbId, Map.of("backendName", settings.backendName()))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return ApplyOutcome.failed("template " + renderer.describe() + " failed: " + e.getMessage(),
                    liveSha256());
        }
        String sha256 = ConfigFiles.sha256(rendered);
        Path candidate = null;
        try {
            byte[] previous = ConfigFiles.readIfExists(output);
            if (Arrays.equals(previous, rendered)) {
                return ApplyOutcome.unchanged(sha256);
            }
            candidate = ConfigFiles.writeCandidate(output, rendered);
            ProcessResult check = run(settings.check(candidate));
            if (!check.ok()) {
                return ApplyOutcome.failed("haproxy -c rejected the candidate: " + check.describe(),
                        ConfigFiles.sha256OfFile(output));
            }
            Optional<RuntimePlan> runtimeChanges = runtimeChanges(set);
            if (runtimeChanges.isPresent() && applyAtRuntime(runtimeChanges.get())) {
                ConfigFiles.moveIntoPlace(candidate, output);
                candidate = null;
                return ApplyOutcome.applied(sha256, false);
            }
            ConfigFiles.moveIntoPlace(candidate, output);
            candidate = null;
            Optional<String> reloadError = reload();
            if (reloadError.isEmpty()) {
                return ApplyOutcome.applied(sha256, true);
            }
            ConfigFiles.restore(output, previous);
            Optional<String> againError = reload();
            LOG.warnf("haproxy reload failed; previous %s restored (reload after restore %s)", output,
                    againError.map(e -> "failed: " + e).orElse("succeeded"));
            return ApplyOutcome.failed("haproxy reload failed, previous configuration restored: " + reloadError.get(),
                    ConfigFiles.sha256OfFile(output));
        } catch (IOException e) {
            return ApplyOutcome.failed(e.getMessage(), ConfigFiles.sha256OfFile(output));
        } finally {
            ConfigFiles.deleteQuietly(candidate);
        }
    }

    /**
     * Runtime API commands in two steps, so that the backend never runs out of usable servers in between:
     * {@code enable} (address changes, servers made ready) first, {@code disable} (drain, maintenance) once the
     * servers in {@code enabled} are up.
     */
    record RuntimePlan(List<String> enable, List<String> enabled, List<String> disable) {
        boolean isEmpty() {
            return enable.isEmpty() && disable.isEmpty();
        }
    }

    /**
     * The Runtime API commands that turn what HAProxy runs into {@code set}, or empty when that takes a reload
     * (HAProxy unreachable, servers added or removed, a hostname address).
     */
    Optional<RuntimePlan> runtimeChanges(BackendSet set) {
        Optional<List<RuntimeServer>> running = runtime.servers(settings.backendName());
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Map<String, RuntimeServer> byName = running.get().stream()
                .collect(Collectors.toMap(RuntimeServer::name, Function.identity(), (a, b) -> a));
        Set<String> wanted = set.servers().stream().map(LbServer::masterId).collect(Collectors.toSet());
        if (!byName.keySet().equals(wanted) || byName.size() != running.get().size()) {
            return Optional.empty();
        }
        String be = settings.backendName();
        List<String> enable = new ArrayList<>();
        List<String> enabled = new ArrayList<>();
        List<String> disable = new ArrayList<>();
        for (LbServer server : set.servers()) {
            RuntimeServer now = byName.get(server.masterId());
            String ref = be + "/" + server.masterId();
            boolean sameAddress = now.address().equals(server.address().host())
                    && now.port() == server.address().port();
            if (!sameAddress) {
                if (!server.address().isIpLiteral()) {
                    return Optional.empty();
                }
                enable.add("set server " + ref + " addr " + server.address().host() + " port "
                        + server.address().port());
            }
            switch (server.state()) {
                case ACTIVE -> {
                    if (now.maint() || now.drainFlag()) {
                        enable.add("set server " + ref + " state ready");
                    }
                    if (now.userWeight() == 0) {
                        enable.add("set weight " + ref + " " + ACTIVE_WEIGHT);
                    }
                    if (now.maint() || now.drainFlag() || now.userWeight() == 0) {
                        enabled.add(server.masterId());
                    }
                }
                case DRAINING -> {
                    if (now.maint() || !(now.drainFlag() || now.userWeight() == 0)) {
                        disable.add("set server " + ref + " state drain");
                    }
                }
                case MAINT -> {
                    if (!now.maint()) {
                        disable.add("set server " + ref + " state maint");
                    }
                }
            }
        }
        return Optional.of(new RuntimePlan(enable, enabled, disable));
    }

    private boolean applyAtRuntime(RuntimePlan plan) {
        try {
            for (String change : plan.enable()) {
                runtime.command(change, "IP changed", "port changed", "no need to change");
            }
            if (!plan.disable().isEmpty() && !plan.enabled().isEmpty()) {
                awaitRunning(plan.enabled());
            }
            for (String change : plan.disable()) {
                runtime.command(change);
            }
        } catch (IOException e) {
            LOG.warnf("Runtime API change failed, falling back to a reload: %s", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!plan.isEmpty()) {
            LOG.infof("haproxy: applied without reload: %s then %s", plan.enable(), plan.disable());
        }
        return true;
    }

    /** Waits (bounded) until HAProxy reports the servers just made ready as running: checks bring them up. */
    private void awaitRunning(List<String> servers) throws InterruptedException {
        long deadline = System.nanoTime() + settings.reloadTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            Optional<List<RuntimeServer>> now = runtime.servers(settings.backendName());
            if (now.isPresent() && now.get().stream().filter(s -> servers.contains(s.name()))
                    .allMatch(RuntimeServer::running)) {
                return;
            }
            Thread.sleep(20);
        }
        LOG.warnf("haproxy: %s not running after %s; draining the others anyway", servers,
                settings.reloadTimeout());
    }

    private ProcessResult run(List<String> arguments) {
        return ProcessRunner.run(Command.of(arguments, commandTimeout));
    }

    /** Reloads HAProxy; the error when it could not be confirmed. */
    private Optional<String> reload() {
        if (!settings.reloadCommand().isEmpty()) {
            ProcessResult result = run(settings.reloadCommand());
            return result.ok() ? Optional.empty() : Optional.of(result.describe());
        }
        if (!runtime.hasMaster()) {
            return Optional.of("neither a master socket nor a reload command is configured");
        }
        try {
            ProcessTable before = runtime.processes();
            runtime.reload();
            long deadline = System.nanoTime() + settings.reloadTimeout().toNanos();
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                ProcessTable after;
                try {
                    after = runtime.processes();
                } catch (IOException e) {
                    continue;
                }
                boolean newWorker = after.freshWorkerPids().stream().anyMatch(p -> !before.workerPids().contains(p));
                if (after.masterReloads() > before.masterReloads() && newWorker) {
                    return Optional.empty();
                }
            }
            return Optional.of("no new worker within " + settings.reloadTimeout() + " after the master CLI reload");
        } catch (IOException e) {
            return Optional.of("master CLI: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while reloading");
        }
    }
}
