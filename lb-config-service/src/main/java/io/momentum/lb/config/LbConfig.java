package io.momentum.lb.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Configuration of the lb-config-service. */
@ConfigMapping(prefix = "momentum.lb")
public interface LbConfig {

    /** Names this load balancer in LbConfigApplied (the record key of momentum.lb-changes). */
    @WithDefault("lb1")
    String lbId();

    /** Which load balancers to drive: nginx, haproxy, or both. */
    @WithDefault("nginx")
    List<String> backends();

    /**
     * Whether the Master of Masters is also in the compile pool (small fleets). Off, it is left out of the load
     * balancer: agents reach its CA directly through {@code ca_server}.
     */
    @WithDefault("true")
    boolean momCompiles();

    /** Quiet period after the last status change before applying. */
    @WithDefault("500ms")
    Duration debounce();

    /** Longest a burst of changes may delay an apply. */
    @WithDefault("5s")
    Duration maxWait();

    /** Holds the revision counter. Not needed to render: a wiped directory renders the same configuration. */
    @WithDefault("/var/lib/momentum/lb")
    Path stateDir();

    /** Timeout of validation and reload commands. */
    @WithDefault("30s")
    Duration commandTimeout();

    Nginx nginx();

    Haproxy haproxy();

    interface Nginx {

        @WithDefault("nginx")
        String binary();

        /**
         * Removed: nginx is always TCP passthrough (the stream template). Still read so that a configuration asking
         * for the removed http mode fails start-up instead of silently getting passthrough.
         */
        Optional<String> mode();

        /** The generated include file; nginx.conf includes it by this literal path. */
        @WithDefault("/etc/nginx/momentum/puppet.conf")
        Path outputFile();

        @WithDefault("/etc/nginx/nginx.conf")
        Path mainConfig();

        /** nginx's -p prefix, when not the compiled-in one. */
        Optional<Path> prefix();

        /** nginx's -e error log, needed when nginx runs unprivileged. */
        Optional<Path> errorLog();

        /** An operator's Qute template for the stream block; the default is templates/nginx-stream.conf. */
        Optional<Path> template();

        /** Replaces 'nginx -s reload', as an argument list (e.g. systemctl,reload,nginx.service). */
        Optional<List<String>> reloadCommand();

        /**
         * candidate: {@code nginx -t} of a candidate copy of the main config before the include is swapped in (needs
         * nginx's own privileges). reload: no separate test; the reload validates ({@code nginx -s reload} and
         * {@code systemctl reload nginx} refuse an invalid configuration) and a failed reload restores the previous
         * include, so lb-config-service needs only the right to reload.
         */
        @WithDefault("candidate")
        String validation();

        /** What the generated server block listens on. */
        @WithDefault("8140")
        String listen();

        @WithDefault("puppet_masters")
        String upstream();

        @WithDefault("5s")
        Duration connectTimeout();
    }

    interface Haproxy {

        @WithDefault("haproxy")
        String binary();

        /**
         * The generated file, loaded by HAProxy as its last -f file. In a directory of its own: writing it atomically
         * takes write access to its directory, which must not be /etc/haproxy.
         */
        @WithDefault("/etc/haproxy/momentum/puppet.cfg")
        Path configFile();

        /** HAProxy's other -f files, in order, used when validating the candidate. */
        @WithDefault("/etc/haproxy/haproxy.cfg")
        List<Path> baseConfigs();

        /** Master CLI (haproxy -W -S <path>,level,admin): reloads and their confirmation. */
        @WithDefault("/run/haproxy-master.sock")
        Path masterSocket();

        /** Stats socket at level admin: Runtime API changes without reload. */
        @WithDefault("/run/haproxy/admin.sock")
        Path adminSocket();

        @WithDefault("puppet_masters")
        String backendName();

        Optional<Path> template();

        /** Replaces the master CLI reload, as an argument list. */
        Optional<List<String>> reloadCommand();

        @WithDefault("10s")
        Duration reloadTimeout();
    }
}
