package io.momentum.service.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * {@link ApiTokens} from {@code momentum.api.*}; a service with tokens of its own produces its own set instead.
 * A token that cannot be read fails start-up where the service asks for the tokens at start.
 */
@Singleton
public class ApiTokensProducer {

    private static final Logger LOG = Logger.getLogger(ApiTokensProducer.class);

    @Produces
    @DefaultBean
    @Singleton
    ApiTokens apiTokens(ApiTokensConfig config) {
        return logged(ApiTokens.from(config));
    }

    /** Says once which tokens exist (names and roles, never secrets), or that the API refuses everything. */
    public static ApiTokens logged(ApiTokens tokens) {
        if (tokens.grants(ApiRoles.READER)) {
            LOG.infof("API tokens: %s", tokens);
        } else {
            LOG.warn("no API token is configured (momentum.api.token, momentum.api.tokens.<name>.secret-file): the"
                    + " API (/api/v1) refuses every call");
        }
        return tokens;
    }
}
