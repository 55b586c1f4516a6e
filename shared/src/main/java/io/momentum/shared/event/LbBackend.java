package io.momentum.shared.event;

import jakarta.validation.constraints.NotBlank;

/** One server of a load-balancer backend as applied. */
public record LbBackend(@NotBlank String masterId, @NotBlank String address, boolean draining) {
}
