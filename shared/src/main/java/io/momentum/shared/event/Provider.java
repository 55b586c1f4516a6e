package io.momentum.shared.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a deploy request came from: a git host's webhook, the deploy API, or the branch poller. */
public enum Provider {
    GITHUB("github"),
    GITLAB("gitlab"),
    BITBUCKET("bitbucket"),
    BITBUCKET_SERVER("bitbucket-server"),
    GITEA("gitea"),
    GOGS("gogs"),
    AZURE_DEVOPS("azure-devops"),
    MANUAL("manual"),
    POLL("poll");

    private final String id;

    Provider(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Optional<Provider> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst();
    }

    @JsonCreator
    static Provider fromJson(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException("unknown provider: " + id));
    }
}
