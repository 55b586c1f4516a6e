package io.momentum.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.momentum.cli.CliException;
import io.momentum.cli.ExitCode;
import io.momentum.cli.config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MomentumApiTest {

    static final String TOKEN = "t0ken-never-shown";

    final MomentumApi api = new MomentumApi(new Settings(URI.create("http://127.0.0.1:8088"), TOKEN,
            Optional.empty()), new ObjectMapper());

    @ParameterizedTest
    @CsvSource({
        "401, 4", "403, 4", "404, 5", "400, 6", "409, 6", "413, 6", "500, 7", "503, 7"})
    void eachRefusalHasTheExitCodeOfItsKindAndTheServersReason(int status, int exitCode) {
        assertThatThrownBy(() -> api.answer("POST", "/api/v1/deploys", status, "{\"error\":\"the reason\"}"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(exitCode))
                .hasMessageContaining("the reason").hasMessageNotContaining(TOKEN);
    }

    @Test
    void aSuccessIsItsJson() {
        assertThat(api.answer("GET", "/api/v1/masters", 200, "{\"masters\":[]}").has("masters")).isTrue();
    }

    @Test
    void aNotFoundWithoutJsonNamesTheEndpoint() {
        assertThatThrownBy(() -> api.answer("GET", "/api/v1/load-balancers", 404, "<html>"))
                .hasMessageContaining("GET /api/v1/load-balancers is not an endpoint of http://127.0.0.1:8088");
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MomentumApi nowhere = new MomentumApi(new Settings(URI.create("http://127.0.0.1:" + port), TOKEN,
                Optional.empty()), new ObjectMapper());

        assertThatThrownBy(() -> nowhere.get("/api/v1/environments"))
                .isInstanceOfSatisfying(CliException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.UNREACHABLE))
                .hasMessageContaining("cannot reach").hasMessageContaining("connection refused")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void noTokenIsAUsageErrorBeforeAnythingIsSent() {
        MomentumApi anonymous = new MomentumApi(new Settings(URI.create("http://127.0.0.1:9"), null,
                Optional.empty()), new ObjectMapper());

        assertThatThrownBy(() -> anonymous.get("/api/v1/environments"))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("no API token");
    }
}
