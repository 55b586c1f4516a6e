package io.momentum.lb.backend;

import io.momentum.lb.backend.HaproxyRuntime.ProcessTable;
import io.momentum.lb.backend.HaproxyRuntime.RuntimeServer;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
public final class HaproxyBackend implements LoadBalancerBackend {

    private static final Logger LOG = Logger.getLogger(HaproxyBackend.class);
    /** Weight of an active server in the default template (HAProxy's default). */
    private static final int ACTIVE_WEIGHT = 1;

    private final String lbId;
    private final HaproxySettings settings;
    private final TemplateRenderer renderer;
    private final CommandRunner commands;
    private final HaproxyRuntime runtime;

    public HaproxyBackend(String lbId, HaproxySettings settings, TemplateRenderer renderer, CommandRunner commands) {
        this.lbId = lbId;
        this.settings = settings;
        this.renderer = renderer;
        this.commands = commands;
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
            CommandRunner.Result check = commands.run(settings.check(candidate));
            if (!check.ok()) {
                return ApplyOutcome.failed("haproxy -c rejected the candidate: " + check.summary(),
                        ConfigFiles.sha256OfFile(output));
            }
            Optional<List<String>> runtimeChanges = runtimeChanges(set);
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
     * The Runtime API commands that turn what HAProxy runs into {@code set}, or empty when that takes a reload
     * (HAProxy unreachable, servers added or removed, a hostname address).
     */
    Optional<List<String>> runtimeChanges(BackendSet set) {
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
        List<String> changes = new ArrayList<>();
        for (LbServer server : set.servers()) {
            RuntimeServer now = byName.get(server.masterId());
            String ref = be + "/" + server.masterId();
            boolean sameAddress = now.address().equals(server.address().host())
                    && now.port() == server.address().port();
            if (!sameAddress) {
                if (!server.address().isIpLiteral()) {
                    return Optional.empty();
                }
                changes.add("set server " + ref + " addr " + server.address().host() + " port "
                        + server.address().port());
            }
            switch (server.state()) {
                case ACTIVE -> {
                    if (now.maint() || now.drainFlag()) {
                        changes.add("set server " + ref + " state ready");
                    }
                    if (now.userWeight() == 0) {
                        changes.add("set weight " + ref + " " + ACTIVE_WEIGHT);
                    }
                }
                case DRAINING -> {
                    if (now.maint() || !(now.drainFlag() || now.userWeight() == 0)) {
                        changes.add("set server " + ref + " state drain");
                    }
                }
                case MAINT -> {
                    if (!now.maint()) {
                        changes.add("set server " + ref + " state maint");
                    }
                }
            }
        }
        return Optional.of(changes);
    }

    private boolean applyAtRuntime(List<String> changes) {
        for (String change : changes) {
            try {
                runtime.command(change, "IP changed", "port changed", "no need to change");
            } catch (IOException e) {
                LOG.warnf("Runtime API change failed, falling back to a reload: %s", e.getMessage());
                return false;
            }
        }
        if (!changes.isEmpty()) {
            LOG.infof("haproxy: applied without reload: %s", changes);
        }
        return true;
    }

    /** Reloads HAProxy; the error when it could not be confirmed. */
    private Optional<String> reload() {
        if (!settings.reloadCommand().isEmpty()) {
            CommandRunner.Result result = commands.run(settings.reloadCommand());
            return result.ok() ? Optional.empty() : Optional.of(result.summary());
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
