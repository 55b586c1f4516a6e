package io.momentum.notifier.messaging;

import io.momentum.notifier.sink.Receiver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real HTTP receiver for the running notifier, configured as its signed generic webhook sink {@value #SINK}
 * (secret {@value #SECRET}, from a file as in production). Tests get it from {@link #receiver()}.
 */
public class ReceiverResource implements QuarkusTestResourceLifecycleManager {

    static final String SINK = "hook";
    static final String SECRET = "flow-test-secret";

    private static volatile Receiver receiver;

    static Receiver receiver() {
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        try {
            receiver = new Receiver();
            Path secret = Files.createDirectories(Path.of("target")).resolve("hook-secret");
            Files.writeString(secret, SECRET + "\n");
            return Map.of(
                    "momentum.notifier.sinks." + SINK + ".type", "webhook",
                    "momentum.notifier.sinks." + SINK + ".url", receiver.uri("/momentum").toString(),
                    "momentum.notifier.sinks." + SINK + ".secret-file", secret.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
