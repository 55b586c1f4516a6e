package io.momentum.lb.backend.nginx;

import io.momentum.lb.config.LbConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * How nginx is run and where the generated file lives. The generated file is always a TCP passthrough for nginx's
 * {@code stream} block: the former http mode proxied plain HTTP to Puppet Server's HTTPS-only port and is removed.
 *
 * @param prefix the {@code -p} prefix, when nginx runs with a non-default one
 * @param mainConfig the operator's nginx.conf; it includes {@code outputFile} by its literal path
 * @param errorLog the {@code -e} error log, needed when nginx runs unprivileged
 * @param reloadCommand replaces {@code nginx -s reload} (for example {@code systemctl reload nginx}) when not empty
 * @param validation {@code candidate}: {@code nginx -t} of a candidate main config before the swap; {@code reload}:
 *     the reload itself validates and a failed one restores the previous file
 * @param listen what the generated server listens on ({@code 8140}, {@code 10.0.0.5:8140})
 * @param upstream name of the generated upstream
 */
public record NginxSettings(String binary, Optional<Path> prefix, Path mainConfig, Path outputFile,
        Optional<Path> errorLog, List<String> reloadCommand, String validation, String listen, String upstream,
        Duration connectTimeout) {

    private static final Logger LOG = Logger.getLogger(NginxSettings.class);
    static final String MODE_KEY = "momentum.lb.nginx.mode";

    public NginxSettings {
        if (!validation.equals("candidate") && !validation.equals("reload")) {
            throw new IllegalArgumentException(
                    "momentum.lb.nginx.validation must be candidate or reload, not " + validation);
        }
        reloadCommand = List.copyOf(reloadCommand);
    }

    /** @throws IllegalArgumentException when the configuration still asks for a removed mode */
    public static NginxSettings of(LbConfig.Nginx nginx) {
        nginx.mode().ifPresent(NginxSettings::refuseRemovedMode);
        return new NginxSettings(nginx.binary(), nginx.prefix(), nginx.mainConfig(), nginx.outputFile(),
                nginx.errorLog(), nginx.reloadCommand().orElse(List.of()), nginx.validation(), nginx.listen(),
                nginx.upstream(), nginx.connectTimeout());
    }

    /** {@code stream} is what nginx does anyway (an old configuration keeps working); any other value is refused. */
    private static void refuseRemovedMode(String mode) {
        if (mode.equals("stream")) {
            LOG.warnf("%s is obsolete (nginx is always stream passthrough); remove it", MODE_KEY);
            return;
        }
        if (mode.equals("http")) {
            throw new IllegalArgumentException(MODE_KEY + "=http: nginx http mode was removed; it proxied plain HTTP"
                    + " to Puppet Server's HTTPS-only port and could not serve Puppet agents. Use stream passthrough"
                    + " (remove " + MODE_KEY + "; include the generated file in nginx's stream block) and point"
                    + " agents at the CA with ca_server.");
        }
        throw new IllegalArgumentException(MODE_KEY + "=" + mode + ": the key was removed, nginx is always stream"
                + " passthrough; remove it");
    }

    /** {@code nginx [-p prefix] -c <config> [-e errorlog]} followed by {@code extra}. */
    List<String> nginx(Path config, String... extra) {
        List<String> command = new ArrayList<>();
        command.add(binary);
        prefix.ifPresent(p -> {
            command.add("-p");
            command.add(p.toString().endsWith("/") ? p.toString() : p + "/");
        });
        command.add("-c");
        command.add(config.toString());
        errorLog.ifPresent(e -> {
            command.add("-e");
            command.add(e.toString());
        });
        command.addAll(List.of(extra));
        return command;
    }

    /** {@code nginx [-p prefix] -c <main config> [-e errorlog]} followed by {@code extra}. */
    public List<String> command(String... extra) {
        return nginx(mainConfig, extra);
    }

    boolean testsCandidate() {
        return validation.equals("candidate");
    }

    List<String> reload() {
        return reloadCommand.isEmpty() ? nginx(mainConfig, "-s", "reload") : reloadCommand;
    }
}
