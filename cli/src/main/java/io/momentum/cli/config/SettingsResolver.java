package io.momentum.cli.config;

import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves each setting from the command line, then the environment, then the config file: the first that names
 * it wins. A token given as a file is read from that file at the level it was named at, so {@code --token-file}
 * beats {@code MOMENTUM_TOKEN}, which beats {@code token} in the config file.
 */
public final class SettingsResolver {

    /** The quickstart's webhook-service, when nothing names a server. */
    public static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8088");

    public static final String ENV_SERVER = "MOMENTUM_SERVER";
    public static final String ENV_TOKEN = "MOMENTUM_TOKEN";
    public static final String ENV_TOKEN_FILE = "MOMENTUM_TOKEN_FILE";
    public static final String ENV_CA_FILE = "MOMENTUM_CA_FILE";
    public static final String ENV_CONFIG = "MOMENTUM_CONFIG";

    /** What the command line gave; each may be null. */
    public record Flags(String server, String token, Path tokenFile, Path caFile, Path configFile) {
    }

    private SettingsResolver() {
    }

    /**
     * @param environment the process environment ({@code MOMENTUM_*}, {@code XDG_CONFIG_HOME}, {@code HOME})
     */
    public static Settings resolve(Flags flags, Map<String, String> environment) {
        Path configFile = configFile(flags, environment);
        Properties file = readConfig(configFile);

        String server = first(flags.server(), environment.get(ENV_SERVER), file.getProperty("server"));
        String token = token(flags.token(), flags.tokenFile(), "--token-file");
        if (token == null) {
            token = token(environment.get(ENV_TOKEN), pathOrNull(environment.get(ENV_TOKEN_FILE)), ENV_TOKEN_FILE);
        }
        if (token == null) {
            token = token(file.getProperty("token"), pathOrNull(file.getProperty("token-file")),
                    "token-file in " + configFile);
        }
        Path caFile = flags.caFile() != null ? flags.caFile()
                : pathOrNull(first(environment.get(ENV_CA_FILE), file.getProperty("ca-file")));
        return new Settings(server == null ? DEFAULT_SERVER : serverUri(server), token, Optional.ofNullable(caFile));
    }

    /** {@code --config}, {@code MOMENTUM_CONFIG}, else {@code $XDG_CONFIG_HOME/momentum/config} or {@code ~/.config/...}. */
    static Path configFile(Flags flags, Map<String, String> environment) {
        if (flags.configFile() != null) {
            return flags.configFile();
        }
        if (nonBlank(environment.get(ENV_CONFIG))) {
            return Path.of(environment.get(ENV_CONFIG));
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        Path base = nonBlank(xdg) ? Path.of(xdg)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("momentum").resolve("config");
    }

    /** {@code key = value} lines, {@code #} comments; a missing file is empty. */
    static Properties readConfig(Path file) {
        Properties properties = new Properties();
        if (!Files.exists(file)) {
            return properties;
        }
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read the config file " + file + ": " + e.getMessage());
        }
        properties.replaceAll((key, value) -> value.toString().trim());
        return properties;
    }

    private static String token(String value, Path file, String fileSetting) {
        if (nonBlank(value)) {
            return value.trim();
        }
        if (file == null) {
            return null;
        }
        try {
            String token = Files.readString(file).trim();
            if (token.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "the token file " + file + " (" + fileSetting + ") is empty");
            }
            return token;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read the token file " + file + " (" + fileSetting
                    + "): " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static URI serverUri(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http:// or https:// URL with a host");
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
                // Not echoed: what precedes the @ may be a password.
                throw new CliException(ExitCode.USAGE, "the server URL must not carry credentials or a query; give"
                        + " the token with --token-file or MOMENTUM_TOKEN");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliException(ExitCode.USAGE, "the server URL " + value + " is not usable: " + e.getReason()
                    + " (e.g. https://mom.example.net:8088)");
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (nonBlank(value)) {
                return value.trim();
            }
        }
        return null;
    }

    private static Path pathOrNull(String value) {
        return nonBlank(value) ? Path.of(value.trim()) : null;
    }

    private static boolean nonBlank(String value) {
        return value != null && !value.isBlank();
    }
}
