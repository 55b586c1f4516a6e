package io.momentum.lb.backend.nginx;

import io.momentum.lb.backend.ConfigFiles;
import io.momentum.lb.backend.TemplateRenderer;
import io.momentum.lb.config.LbConfig;
import io.momentum.lb.domain.ApplyOutcome;
import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LoadBalancer;
import io.momentum.service.process.Command;
import io.momentum.service.process.ProcessResult;
import io.momentum.service.process.ProcessRunner;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * nginx: renders the include file, validates a candidate copy of the operator's nginx.conf that includes the
 * candidate file instead of the live one ({@code nginx -t}), swaps the file in with an atomic rename and reloads.
 * The live file is never touched before validation passed; a failed reload puts the previous file back and reloads
 * again.
 *
 * <p>With {@code validation=reload} there is no {@code nginx -t}: it needs nginx's privileges (pid file, temp
 * directories, TLS keys), and a root process testing a file that lb-config-service wrote in full would hand it
 * root ({@code load_module}). The reload validates instead: {@code nginx -s reload}, and so
 * {@code systemctl reload nginx}, parses the configuration first and signals nothing when it is invalid, so the
 * running nginx keeps the previous configuration while the previous file is put back.
 *
 * <p>Draining: nginx OSS has no drain state, so a draining master is rendered {@code down}. A reload starts new
 * workers with the new upstream, and the old workers finish the connections they hold, which is draining.
 */
@ApplicationScoped
@Identifier("nginx")
public class NginxLoadBalancer implements LoadBalancer {

    private static final Logger LOG = Logger.getLogger(NginxLoadBalancer.class);
    /** TCP passthrough for the stream block: agents keep their TLS session end to end with a compile master. */
    public static final String DEFAULT_TEMPLATE = "templates/nginx-stream.conf";
    private static final Pattern INCLUDE = Pattern.compile("(?<![\\w$])include\\s+(\"[^\"]+\"|'[^']+'|[^;\\s]+)\\s*;");

    private final String lbId;
    private final NginxSettings settings;
    private final TemplateRenderer renderer;
    private final Duration commandTimeout;

    @Inject
    NginxLoadBalancer(LbConfig config) {
        this(config.lbId(), NginxSettings.of(config.nginx()), config.nginx().template(), config.commandTimeout());
    }

    private NginxLoadBalancer(String lbId, NginxSettings settings, Optional<Path> template, Duration commandTimeout) {
        this(lbId, settings, new TemplateRenderer(template, DEFAULT_TEMPLATE), commandTimeout);
    }

    public NginxLoadBalancer(String lbId, NginxSettings settings, TemplateRenderer renderer,
            Duration commandTimeout) {
        this.lbId = lbId;
        this.settings = settings;
        this.renderer = renderer;
        this.commandTimeout = commandTimeout;
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public String liveSha256() {
        return ConfigFiles.sha256OfFile(settings.outputFile());
    }

    @Override
    public ApplyOutcome apply(BackendSet set) {
        Path output = settings.outputFile().toAbsolutePath();
        byte[] rendered;
        try {
            rendered = renderer.render(set, lbId, Map.of("listen", settings.listen(), "upstream",
                    settings.upstream(), "connectTimeout", settings.connectTimeout().toMillis() + "ms"))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return ApplyOutcome.failed("template " + renderer.describe() + " failed: " + e.getMessage(),
                    liveSha256());
        }
        String sha256 = ConfigFiles.sha256(rendered);
        Path candidate = null;
        Path candidateMain = null;
        try {
            byte[] previous = ConfigFiles.readIfExists(output);
            if (Arrays.equals(previous, rendered)) {
                return ApplyOutcome.unchanged(sha256);
            }
            candidate = ConfigFiles.writeCandidate(output, rendered);
            // read in both validations: it proves that nginx.conf includes the output file by its literal path
            String mainConfig = candidateMainConfig(candidate);
            if (settings.testsCandidate()) {
                candidateMain = ConfigFiles.writeCandidate(output.resolveSibling("nginx.conf"),
                        mainConfig.getBytes(StandardCharsets.UTF_8));
                ProcessResult test = run(settings.nginx(candidateMain, "-t", "-q"));
                if (!test.ok()) {
                    return ApplyOutcome.failed("nginx -t rejected the candidate: " + test.describe(),
                            ConfigFiles.sha256OfFile(output));
                }
            }
            ConfigFiles.moveIntoPlace(candidate, output);
            candidate = null;
            ProcessResult reload = run(settings.reload());
            if (reload.ok()) {
                return ApplyOutcome.applied(sha256, true);
            }
            ConfigFiles.restore(output, previous);
            ProcessResult again = run(settings.reload());
            LOG.warnf("nginx reload failed; previous %s restored (reload after restore %s)", output,
                    again.ok() ? "succeeded" : "failed: " + again.describe());
            return ApplyOutcome.failed("nginx reload failed, previous configuration restored: " + reload.describe(),
                    ConfigFiles.sha256OfFile(output));
        } catch (IOException | MainConfigException e) {
            return ApplyOutcome.failed(e.getMessage(), ConfigFiles.sha256OfFile(output));
        } finally {
            ConfigFiles.deleteQuietly(candidate);
            ConfigFiles.deleteQuietly(candidateMain);
        }
    }

    private ProcessResult run(List<String> arguments) {
        return ProcessRunner.run(Command.of(arguments, commandTimeout));
    }

    /**
     * The operator's main config with the include of the live output file pointing at the candidate, and every
     * other relative include made absolute (the candidate main config lives next to the output file, not in the
     * main config's directory).
     */
    String candidateMainConfig(Path candidate) throws IOException, MainConfigException {
        Path main = settings.mainConfig().toAbsolutePath();
        Path baseDir = main.getParent();
        Path output = settings.outputFile().toAbsolutePath().normalize();
        StringBuilder result = new StringBuilder();
        int hits = 0;
        for (String line : Files.readAllLines(main, StandardCharsets.UTF_8)) {
            int comment = line.indexOf('#');
            String code = comment >= 0 ? line.substring(0, comment) : line;
            Matcher matcher = INCLUDE.matcher(code);
            StringBuilder rewritten = new StringBuilder();
            while (matcher.find()) {
                String argument = matcher.group(1).replaceAll("^[\"']|[\"']$", "");
                Path resolved = baseDir.resolve(argument).normalize();
                String replacement;
                if (resolved.equals(output)) {
                    replacement = candidate.toString();
                    hits++;
                } else {
                    replacement = resolved.toString();
                }
                matcher.appendReplacement(rewritten, Matcher.quoteReplacement("include \"" + replacement + "\";"));
            }
            matcher.appendTail(rewritten);
            result.append(rewritten).append(comment >= 0 ? line.substring(comment) : "").append('\n');
        }
        if (hits == 0) {
            throw new MainConfigException(main + " does not include " + output
                    + " by its literal path; add 'include " + output + ";' to its stream block");
        }
        return result.toString();
    }

    static final class MainConfigException extends Exception {
        MainConfigException(String message) {
            super(message);
        }
    }
}
