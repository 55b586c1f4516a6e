package io.momentum.webhook.domain;

import java.util.List;
import java.util.Objects;

/**
 * The repository a webhook is about.
 *
 * @param fullName the name the git host shows ({@code owner/name}), used to pick secrets and sources
 * @param name the last path segment, used for module names
 * @param cloneUrl the URL agents fetch from (HTTPS where the host tells it)
 * @param urls every URL the payload names for the repository, to match a source's {@code remote}
 */
public record RepositoryRef(String fullName, String name, String cloneUrl, List<String> urls) {

    public RepositoryRef {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(name, "name");
        urls = urls.stream().filter(Objects::nonNull).filter(u -> !u.isBlank()).distinct().toList();
    }
}
