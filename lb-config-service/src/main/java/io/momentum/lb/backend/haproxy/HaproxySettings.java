package io.momentum.lb.backend.haproxy;

import io.momentum.lb.config.LbConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How HAProxy is run and where the generated file lives.
 *
 * @param configFile the generated file, one of HAProxy's {@code -f} files
 * @param baseConfigs the other {@code -f} files, in HAProxy's order, loaded before {@code configFile} when validating
 * @param masterSocket the master CLI ({@code -S <path>,level,admin}) used for reloads and to confirm them
 * @param adminSocket a stats socket at {@code level admin} for Runtime API changes
 * @param reloadCommand replaces the master CLI reload (for example {@code systemctl reload haproxy}) when not empty
 */
public record HaproxySettings(String binary, Path configFile, List<Path> baseConfigs, Optional<Path> masterSocket,
        Optional<Path> adminSocket, String backendName, List<String> reloadCommand, Duration reloadTimeout) {

    public HaproxySettings {
        baseConfigs = List.copyOf(baseConfigs);
        reloadCommand = List.copyOf(reloadCommand);
    }

    public static HaproxySettings of(LbConfig.Haproxy haproxy) {
        return new HaproxySettings(haproxy.binary(), haproxy.configFile(), haproxy.baseConfigs(),
                Optional.of(haproxy.masterSocket()), Optional.of(haproxy.adminSocket()), haproxy.backendName(),
                haproxy.reloadCommand().orElse(List.of()), haproxy.reloadTimeout());
    }

    List<String> check(Path candidate) {
        List<String> command = new ArrayList<>(List.of(binary, "-c"));
        baseConfigs.forEach(base -> {
            command.add("-f");
            command.add(base.toString());
        });
        command.add("-f");
        command.add(candidate.toString());
        return command;
    }
}
