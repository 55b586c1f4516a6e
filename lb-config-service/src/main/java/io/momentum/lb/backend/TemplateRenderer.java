package io.momentum.lb.backend;

import io.momentum.lb.domain.BackendSet;
import io.momentum.lb.domain.LbServer;
import io.momentum.lb.domain.ServerState;
import io.quarkus.qute.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a Qute template: the operator's file when configured (read on every render, so an edit takes effect
 * with the next change), otherwise the default shipped in the jar under {@code templates/}. Rendering is strict: an
 * unknown name in a template is an error, not an empty string in the load balancer's configuration.
 *
 * <p>Templates see {@code lbId}, {@code servers} (sorted by master id; each with {@code name}, {@code address},
 * {@code host}, {@code port}, {@code state}, {@code active}, {@code draining}, {@code maint}, {@code mom}),
 * {@code activeCount} and the backend's own settings.
 */
public final class TemplateRenderer {

    private static final Engine ENGINE = Engine.builder().addDefaults().strictRendering(true).build();

    private final Optional<Path> override;
    private final String defaultResource;

    public TemplateRenderer(Optional<Path> override, String defaultResource) {
        this.override = override;
        this.defaultResource = defaultResource;
    }

    /** @throws RuntimeException when the template cannot be read, parsed or rendered */
    public String render(BackendSet set, String lbId, Map<String, Object> settings) {
        Map<String, Object> data = new HashMap<>(settings);
        data.put("lbId", lbId);
        data.put("servers", set.servers().stream().map(TemplateRenderer::serverData).toList());
        data.put("activeCount", set.activeCount());
        return ENGINE.parse(source()).data(data).render();
    }

    public String describe() {
        return override.map(Path::toString).orElse("classpath:" + defaultResource);
    }

    private String source() {
        try {
            if (override.isPresent()) {
                return Files.readString(override.get(), StandardCharsets.UTF_8);
            }
            try (InputStream in = TemplateRenderer.class.getClassLoader().getResourceAsStream(defaultResource)) {
                if (in == null) {
                    throw new IllegalStateException("default template " + defaultResource + " is missing");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + describe(), e);
        }
    }

    private static Map<String, Object> serverData(LbServer server) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", server.masterId());
        data.put("address", server.address().render());
        data.put("host", server.address().host());
        data.put("port", server.address().port());
        data.put("state", server.state().name().toLowerCase(Locale.ROOT));
        data.put("active", server.active());
        data.put("draining", server.state() == ServerState.DRAINING);
        data.put("maint", server.state() == ServerState.MAINT);
        data.put("mom", server.mom());
        return data;
    }
}
