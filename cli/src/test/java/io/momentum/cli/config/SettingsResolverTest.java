package io.momentum.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {

    @TempDir
    Path home;

    Map<String, String> environment = new HashMap<>();

    static final SettingsResolver.Flags NO_FLAGS = new SettingsResolver.Flags(null, null, null, null, null);

    @BeforeEach
    void isolateFromTheRealHome() {
        environment.put("HOME", home.toString());
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheConfigFile() throws IOException {
        writeConfig("server = https://file.example.net:8088\ntoken = from-file\nca-file = /etc/file-ca.pem\n");
        environment.put("MOMENTUM_SERVER", "https://env.example.net:8088");
        environment.put("MOMENTUM_TOKEN", "from-env");
        environment.put("MOMENTUM_CA_FILE", "/etc/env-ca.pem");

        Settings fromFlags = SettingsResolver.resolve(new SettingsResolver.Flags("https://flag.example.net",
                "from-flag", null, Path.of("/etc/flag-ca.pem"), null), environment);
        Settings fromEnvironment = SettingsResolver.resolve(NO_FLAGS, environment);
        environment.clear();
        environment.put("HOME", home.toString());
        Settings fromFile = SettingsResolver.resolve(NO_FLAGS, environment);

        assertThat(fromFlags.server()).isEqualTo(URI.create("https://flag.example.net"));
        assertThat(fromFlags.token()).isEqualTo("from-flag");
        assertThat(fromFlags.caFile()).contains(Path.of("/etc/flag-ca.pem"));
        assertThat(fromEnvironment.server()).isEqualTo(URI.create("https://env.example.net:8088"));
        assertThat(fromEnvironment.token()).isEqualTo("from-env");
        assertThat(fromEnvironment.caFile()).contains(Path.of("/etc/env-ca.pem"));
        assertThat(fromFile.server()).isEqualTo(URI.create("https://file.example.net:8088"));
        assertThat(fromFile.token()).isEqualTo("from-file");
        assertThat(fromFile.caFile()).contains(Path.of("/etc/file-ca.pem"));
    }

    @Test
    void aTokenFileCountsAtTheLevelItIsNamedAt() throws IOException {
        Path flagFile = Files.writeString(home.resolve("flag-token"), "token-of-flag-file\n");
        Path envFile = Files.writeString(home.resolve("env-token"), "token-of-env-file\n");
        Path configFile = Files.writeString(home.resolve("config-token"), "token-of-config-file\n");
        writeConfig("token-file = " + configFile + "\n");

        assertThat(SettingsResolver.resolve(NO_FLAGS, environment).token()).isEqualTo("token-of-config-file");
        environment.put("MOMENTUM_TOKEN_FILE", envFile.toString());
        assertThat(SettingsResolver.resolve(NO_FLAGS, environment).token()).isEqualTo("token-of-env-file");
        assertThat(SettingsResolver.resolve(new SettingsResolver.Flags(null, null, flagFile, null, null),
                environment).token()).isEqualTo("token-of-flag-file");
    }

    @Test
    void withNothingConfiguredTheQuickstartServerAndNoToken() {
        Settings settings = SettingsResolver.resolve(NO_FLAGS, environment);

        assertThat(settings.server()).isEqualTo(SettingsResolver.DEFAULT_SERVER);
        assertThat(settings.token()).isNull();
        assertThat(settings.caFile()).isEmpty();
    }

    @Test
    void xdgConfigHomeAndAnExplicitConfigFileAreHonoured() throws IOException {
        Path xdg = Files.createDirectories(home.resolve("xdg/momentum"));
        Files.writeString(xdg.resolve("config"), "server = http://xdg.example.net:8088\n");
        Path explicit = Files.writeString(home.resolve("other.conf"), "server = http://other.example.net\n");
        environment.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());

        assertThat(SettingsResolver.resolve(NO_FLAGS, environment).server().getHost()).isEqualTo("xdg.example.net");
        assertThat(SettingsResolver.resolve(new SettingsResolver.Flags(null, null, null, null, explicit),
                environment).server().getHost()).isEqualTo("other.example.net");
    }

    @Test
    void theTokenNeverAppearsInTheSettingsText() {
        environment.put("MOMENTUM_TOKEN", "s3cr3t-token-value");

        assertThat(SettingsResolver.resolve(NO_FLAGS, environment).toString()).doesNotContain("s3cr3t")
                .contains("(hidden)");
    }

    @Test
    void aServerUrlWithCredentialsIsRefusedWithoutEchoingThem() {
        environment.put("MOMENTUM_SERVER", "https://admin:hunter2@mom.example.net:8088");

        assertThatThrownBy(() -> SettingsResolver.resolve(NO_FLAGS, environment))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageNotContaining("hunter2").hasMessageContaining("must not carry credentials");
    }

    @Test
    void aServerThatIsNoHttpUrlIsAUsageError() {
        environment.put("MOMENTUM_SERVER", "mom.example.net:8088");

        assertThatThrownBy(() -> SettingsResolver.resolve(NO_FLAGS, environment))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("not usable");
    }

    @Test
    void anEmptyOrMissingTokenFileIsAClearError() throws IOException {
        Path empty = Files.writeString(home.resolve("empty"), "\n");

        assertThatThrownBy(() -> SettingsResolver.resolve(new SettingsResolver.Flags(null, null, empty, null, null),
                environment)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> SettingsResolver.resolve(new SettingsResolver.Flags(null, null,
                home.resolve("absent"), null, null), environment)).hasMessageContaining("cannot read the token file");
    }

    private void writeConfig(String text) throws IOException {
        Path dir = Files.createDirectories(home.resolve(".config/momentum"));
        Files.writeString(dir.resolve("config"), text);
    }
}
