package io.momentum.service.security;

import java.util.Locale;
import java.util.Set;

/**
 * The roles of an API token. {@value #READER} may call every {@code GET} under {@code /api/v1};
 * {@value #DEPLOYER} may call everything, reads included. A resource says which with {@code @RolesAllowed}.
 */
public final class ApiRoles {

    /** Reads: {@code @RolesAllowed(ApiRoles.READER)} on every {@code GET} under {@code /api/v1}. */
    public static final String READER = "reader";
    /** Changes (deploys, rollbacks, unpins): {@code @RolesAllowed(ApiRoles.DEPLOYER)}. */
    public static final String DEPLOYER = "deployer";

    private ApiRoles() {
    }

    /**
     * The roles a token configured with {@code role} holds: a deployer is a reader too.
     *
     * @throws IllegalArgumentException for a role other than reader and deployer
     */
    static Set<String> granted(String role) {
        return switch (role.trim().toLowerCase(Locale.ROOT)) {
            case READER -> Set.of(READER);
            case DEPLOYER -> Set.of(READER, DEPLOYER);
            default -> throw new IllegalArgumentException("unknown role '" + role + "' (known: " + READER + ", "
                    + DEPLOYER + ")");
        };
    }
}
