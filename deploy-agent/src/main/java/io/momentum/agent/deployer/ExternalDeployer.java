package io.momentum.agent.deployer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.git.GitTransportSettings;
import io.momentum.service.process.Command;
import io.momentum.service.process.ProcessResult;
import io.momentum.service.process.ProcessRunner;
import io.momentum.shared.env.EnvironmentNames;
import io.momentum.shared.env.InvalidNameException;
import io.momentum.shared.event.DeployPlan;
import io.momentum.shared.event.ModuleCounts;
import io.momentum.shared.event.PlanStatus;
import io.momentum.shared.source.Source;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the r10k and g10k backends share: a generated configuration file in the cache dir, the tool run as an
 * argument list, and the tool's own deploy file read back to tell what is live.
 *
 * <p>These tools deploy a branch head and resolve the Puppetfile themselves: they cannot pin modules, nor deploy a
 * commit that is not the head. So a plan is deployed only while its branch's head is still the plan's commit (checked
 * before and after the run; a branch that moved on fails the older plan, the newer push brings its own plan), modules
 * are whatever the tool resolves, and results carry no plan digest.
 *
 * <p>These tools write into the live environment directory in place: a failed or killed run can leave an environment
 * half-updated. That is the price of keeping an operator's existing tool; the native backend does not have it.
 */
abstract sealed class ExternalDeployer implements Deployer permits R10kDeployer, G10kDeployer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of the end of a failing tool's output goes into the result's error. */
    private static final int OUTPUT_LIMIT = 2000;

    protected final DeployerSettings settings;

    ExternalDeployer(DeployerSettings settings) {
        this.settings = settings;
    }

    /** The tool's file inside each environment that names the deployed commit ({@code signature}). */
    abstract String deployFileName();

    /** Runs the tool to deploy the target's branch. */
    abstract void deployBranch(EnvironmentTarget target) throws DeployException;

    @Override
    public final DeployOutcome stage(DeployPlan plan) throws DeployException {
        throw cannotStage(plan);
    }

    @Override
    public final boolean isStaged(DeployPlan plan) {
        return false;
    }

    @Override
    public final DeployOutcome activate(DeployPlan plan) throws DeployException {
        throw cannotStage(plan);
    }

    private DeployException cannotStage(DeployPlan plan) {
        return new DeployException(tool() + " writes environments in place and cannot stage a version: plan "
                + plan.requestId() + " for " + plan.environment() + " has rollout " + plan.rollout()
                + ", which needs the native backend (momentum.deploy.backend=native)");
    }

    @Override
    public final DeployOutcome deploy(DeployPlan plan) throws DeployException {
        EnvironmentTarget target = new EnvironmentTarget(plan.environment(), plan.source(), null, plan.branch(),
                plan.commit());
        Path dir = environmentDir(target.environment());
        if (plan.status() != PlanStatus.PLANNED || plan.commit() == null || plan.branch() == null) {
            throw new DeployException("refusing to deploy: plan " + plan.requestId() + " for " + plan.environment()
                    + " is " + plan.status() + ", not a complete PLANNED plan");
        }
        Source source = source(target);
        String head = new BranchLister(settings.git(), settings.commandTimeout()).branches(source)
                .get(target.branch());
        if (head == null) {
            throw new DeployException("branch '" + target.branch() + "' does not exist in source " + source.name());
        }
        if (!head.equals(plan.commit())) {
            throw new DeployException(tool() + " deploys branch heads only: branch " + target.branch() + " of source "
                    + source.name() + " is at " + head + ", no longer at the plan's commit " + plan.commit()
                    + "; the plan of the newer push follows");
        }
        JsonNode before = readDeployFile(dir);
        deployBranch(target);
        DeployOutcome outcome = outcome(target.environment(), before);
        if (!outcome.commit().equals(plan.commit())) {
            throw new DeployException(tool() + " left environment " + target.environment() + " at "
                    + outcome.commit() + " instead of the plan's commit " + plan.commit()
                    + " (the branch moved during the run)");
        }
        return outcome;
    }

    /** The control commit is all these tools can match: modules are theirs to resolve. */
    @Override
    public boolean isLive(DeployPlan plan) {
        try {
            JsonNode info = readDeployFile(environmentDir(plan.environment()));
            return info != null && plan.commit() != null && info.hasNonNull("signature")
                    && plan.commit().equals(info.get("signature").asText());
        } catch (DeployException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> deployedEnvironments() {
        Map<String, String> deployed = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(settings.environmentsDir())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                JsonNode info = EnvironmentNames.isValid(name) ? readDeployFile(entry) : null;
                if (info != null && info.hasNonNull("signature")) {
                    deployed.put(name, info.get("signature").asText());
                }
            }
        } catch (IOException e) {
            return deployed;
        }
        return deployed;
    }

    /** Deletes an environment the tool deployed (it has the tool's deploy file); anything else stays. */
    @Override
    public void purge(String environment) throws DeployException {
        Path dir = environmentDir(environment);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && Files.exists(dir.resolve(deployFileName()))) {
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                throw new DeployException("cannot purge environment " + environment + ": " + e.getMessage(), e);
            }
        }
    }

    protected Path environmentDir(String environment) throws DeployException {
        try {
            return EnvironmentNames.resolveInside(settings.environmentsDir(), EnvironmentNames.requireValid(environment));
        } catch (InvalidNameException e) {
            throw new DeployException("refusing to deploy: " + e.getMessage());
        }
    }

    protected JsonNode readDeployFile(Path environmentDir) {
        try {
            Path file = environmentDir.resolve(deployFileName());
            return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Runs the tool in the cache dir with {@code GIT_SSH_COMMAND} set, so that the git it runs checks host keys
     * against the configured known_hosts, never prompts, and uses the configured key (a file path: no secret enters
     * the environment); anything but exit code 0 is an error carrying the end of its output.
     */
    protected void run(List<String> command) throws DeployException {
        try {
            Files.createDirectories(settings.cacheDir());
            Files.createDirectories(settings.environmentsDir());
        } catch (IOException e) {
            throw new DeployException("cannot create " + settings.cacheDir() + ": " + e.getMessage(), e);
        }
        ProcessResult result = ProcessRunner.run(Command.of(command, settings.commandTimeout())
                .in(settings.cacheDir()).withEnvironment(environment())
                .keepingLast(OUTPUT_LIMIT));
        if (!result.ok()) {
            throw new DeployException(result.describe());
        }
    }

    /** The outcome as the tool's deploy file tells it, failing when the file is missing or admits a failure. */
    protected DeployOutcome outcome(String environment, JsonNode before) throws DeployException {
        JsonNode after = readDeployFile(environmentDir(environment));
        if (after == null || !after.hasNonNull("signature")) {
            throw new DeployException(tool() + " reported success but did not deploy environment " + environment
                    + " (no " + deployFileName() + "): does its branch exist?");
        }
        if (after.has("deploy_success") && !after.get("deploy_success").asBoolean()) {
            throw new DeployException(tool() + " reports deploy_success: false for " + environment);
        }
        int modules = after.path("module_deploys").size();
        boolean unchanged = before != null && before.path("signature").equals(after.get("signature"))
                && before.path("module_deploys").equals(after.path("module_deploys"));
        return new DeployOutcome(environment, after.get("signature").asText(),
                unchanged ? new ModuleCounts(0, modules) : new ModuleCounts(modules, 0), unchanged, null);
    }

    abstract String tool();

    protected String executable() {
        return settings.executable() == null || settings.executable().isBlank() ? tool() : settings.executable();
    }

    /** The variables the tool runs with, on top of the agent's own environment. */
    protected Map<String, String> environment() throws DeployException {
        return Map.of("GIT_SSH_COMMAND", sshCommand());
    }

    /** OpenSSH as git should run it: batch mode, the configured known_hosts and checking, the global key. */
    String sshCommand() {
        GitTransportSettings transport = settings.git().transport();
        StringBuilder ssh = new StringBuilder("ssh -o BatchMode=yes -o StrictHostKeyChecking=")
                .append(transport.strictHostKeyChecking() ? "yes" : "no")
                .append(" -o UserKnownHostsFile=").append(shellQuoted(transport.knownHosts().toAbsolutePath()))
                .append(" -o GlobalKnownHostsFile=/dev/null");
        settings.git().config().privateKey().ifPresent(key -> ssh.append(" -o IdentitiesOnly=yes -i ")
                .append(shellQuoted(key.toAbsolutePath())));
        return ssh.toString();
    }

    private static String shellQuoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    /**
     * The target's source, checked to be one the tool can deploy: r10k and g10k name environments after branches
     * themselves (prefix and correction), so a branch the source maps to another name ({@code environments.main=
     * production}) is the native backend's alone.
     */
    protected Source source(EnvironmentTarget target) throws DeployException {
        Source source = configuredSource(target);
        String ownName;
        try {
            ownName = EnvironmentNames.fromBranch(target.branch(), source.prefix());
        } catch (InvalidNameException e) {
            ownName = null;
        }
        if (!target.environment().equals(ownName)) {
            throw new DeployException(tool() + " cannot deploy branch " + target.branch() + " of source "
                    + source.name() + " as environment " + target.environment() + " (momentum.sources."
                    + source.name() + ".environments." + target.branch() + "): " + tool()
                    + " names environments after branches; use momentum.deploy.backend=native");
        }
        return source;
    }

    private Source configuredSource(EnvironmentTarget target) throws DeployException {
        for (Source source : settings.sources()) {
            if (source.name().equals(target.source()) || source.remote().equals(target.remote())) {
                return source;
            }
        }
        throw new DeployException("environment " + target.environment() + ": source '" + target.source()
                + "' is not configured");
    }

    /** A YAML scalar that is valid whatever the string holds (JSON strings are YAML). */
    protected static String yaml(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected Path writeConfig(String fileName, String content) throws DeployException {
        try {
            Files.createDirectories(settings.cacheDir());
            Path file = settings.cacheDir().resolve(fileName);
            Path tmp = settings.cacheDir().resolve(fileName + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new DeployException("cannot write " + fileName + ": " + e.getMessage(), e);
        }
    }
}
