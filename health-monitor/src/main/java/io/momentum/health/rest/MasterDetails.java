package io.momentum.health.rest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.momentum.health.domain.EnvironmentSync;
import io.momentum.health.domain.MasterView;
import io.momentum.shared.event.MasterStatus;
import java.util.List;

/**
 * A master as the REST view shows it: the fields of its published {@link MasterStatus} at the top level (what
 * readers of the status already parse), plus per environment the desired and deployed plan digests and commits.
 */
public record MasterDetails(@JsonUnwrapped MasterStatus status, List<EnvironmentSync> environments) {

    static MasterDetails of(MasterView view) {
        return new MasterDetails(view.status(), view.environments());
    }
}
