package io.momentum.lb.backend.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.momentum.lb.config.LbConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The removed {@code momentum.lb.nginx.mode} read through the real {@link LbConfig} mapping. Plain JUnit: the nginx
 * backend builds its settings when the service starts, so a refusal here is a refused start-up.
 */
class NginxSettingsTest {

    @Test
    void withoutModeNginxIsStreamPassthrough() {
        NginxSettings settings = NginxSettings.of(nginx(Map.of()));

        assertThat(settings.listen()).isEqualTo("8140");
        assertThat(NginxLoadBalancer.DEFAULT_TEMPLATE).isEqualTo("templates/nginx-stream.conf");
    }

    @Test
    void anExplicitStreamModeStillStarts() {
        assertThat(NginxSettings.of(nginx(Map.of("momentum.lb.nginx.mode", "stream"))).upstream())
                .isEqualTo("puppet_masters");
    }

    @Test
    void httpModeIsRefusedSayingItWasRemovedAndWhatToUseInstead() {
        assertThatThrownBy(() -> NginxSettings.of(nginx(Map.of("momentum.lb.nginx.mode", "http"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("momentum.lb.nginx.mode=http: nginx http mode was removed")
                .hasMessageContaining("stream passthrough")
                .hasMessageContaining("ca_server");
    }

    @Test
    void anyOtherModeIsRefusedNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> NginxSettings.of(nginx(Map.of("momentum.lb.nginx.mode", "tls"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("momentum.lb.nginx.mode=tls: the key was removed");
    }

    @Test
    void theHttpTemplateIsGone() {
        assertThat(NginxSettingsTest.class.getClassLoader().getResource("templates/nginx-http.conf")).isNull();
        assertThat(NginxSettingsTest.class.getClassLoader().getResource(NginxLoadBalancer.DEFAULT_TEMPLATE))
                .isNotNull();
    }

    private static LbConfig.Nginx nginx(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(LbConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(LbConfig.class).nginx();
    }
}
