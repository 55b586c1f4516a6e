package io.momentum.webhook;

import io.momentum.webhook.provider.SignatureVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sample payloads and the headers each git host sends with them, signed as the host would. */
public final class Deliveries {

    /** The secrets of the %test profile. */
    public static final Map<String, String> SECRETS = Map.of(
            "github", "github-test-secret",
            "gitlab", "gitlab-test-token",
            "bitbucket", "bitbucket-test-secret",
            "bitbucket-server", "bbs-test-secret",
            "gitea", "gitea-test-secret",
            "gogs", "gogs-test-secret",
            "azure-devops", "azure-test-secret");

    public static final String COMMIT = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";
    /** The Azure DevOps samples' event id, which is their delivery id. */
    private static final String AZURE_IDS = "03c164c2-8912-4d5e-8009-3707d5f83734|1b4c2a77-7c1e-4d9e-9a35-6f0f3fd3b1a1"
            + "|5e0b6a11-2f44-4c0e-8f0b-7f7b0b0e9a22";

    private Deliveries() {
    }

    public static String payload(String provider, String kind) {
        String path = "/payloads/" + provider + "/" + kind + ".json";
        try (InputStream in = Deliveries.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample whose pushed branch is renamed, and (Azure) whose event id is {@code deliveryId}. */
    public static String payload(String provider, String kind, String branch, String deliveryId) {
        String json = payload(provider, kind).replace("production", branch);
        return provider.equals("azure-devops") ? json.replaceAll(AZURE_IDS, deliveryId) : json;
    }

    /** The headers of {@code provider} for event {@code kind} (push, delete, tag, ping), signed with its secret. */
    public static Map<String, String> headers(String provider, String kind, byte[] body, String deliveryId) {
        return headers(provider, kind, body, deliveryId, SECRETS.get(provider));
    }

    public static Map<String, String> headers(String provider, String kind, byte[] body, String deliveryId,
            String secret) {
        Map<String, String> h = new LinkedHashMap<>();
        String hmac = SignatureVerifier.sign(secret, body);
        switch (provider) {
            case "github" -> {
                h.put("X-GitHub-Event", kind.equals("ping") ? "ping" : "push");
                h.put("X-GitHub-Delivery", deliveryId);
                h.put("X-GitHub-Hook-ID", "30");
                h.put("X-Hub-Signature-256", "sha256=" + hmac);
            }
            case "gitlab" -> {
                h.put("X-Gitlab-Event", kind.equals("tag") ? "Tag Push Hook"
                        : kind.equals("merge_request") ? "Merge Request Hook" : "Push Hook");
                h.put("X-Gitlab-Event-UUID", deliveryId);
                h.put("X-Gitlab-Instance", "https://gitlab.example.net");
                h.put("X-Gitlab-Token", secret);
            }
            case "bitbucket" -> {
                h.put("X-Event-Key", kind.equals("ping") ? "diagnostics:ping" : "repo:push");
                h.put("X-Request-UUID", deliveryId);
                h.put("X-Hook-UUID", "cb3c1e7c-7b3a-4a0c-9d4f-3f0b8a8a2c11");
                h.put("X-Hub-Signature", "sha256=" + hmac);
            }
            case "bitbucket-server" -> {
                h.put("X-Event-Key", kind.equals("ping") ? "diagnostics:ping" : "repo:refs_changed");
                h.put("X-Request-Id", deliveryId);
                h.put("X-Hub-Signature", "sha256=" + hmac);
            }
            case "gitea" -> {
                String event = kind.equals("delete") ? "delete" : kind.equals("ping") ? "ping" : "push";
                // Gitea sends GitHub's and Gogs' headers too.
                h.put("X-Gitea-Event", event);
                h.put("X-Gitea-Delivery", deliveryId);
                h.put("X-Gitea-Signature", hmac);
                h.put("X-GitHub-Event", event);
                h.put("X-GitHub-Delivery", deliveryId);
                h.put("X-Gogs-Event", event);
                h.put("X-Gogs-Delivery", deliveryId);
                h.put("X-Gogs-Signature", hmac);
                h.put("X-Hub-Signature-256", "sha256=" + hmac);
            }
            case "gogs" -> {
                h.put("X-Gogs-Event", kind.equals("delete") ? "delete" : kind.equals("ping") ? "ping" : "push");
                h.put("X-Gogs-Delivery", deliveryId);
                h.put("X-Gogs-Signature", hmac);
            }
            case "azure-devops" -> h.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("momentum:" + secret).getBytes(StandardCharsets.UTF_8)));
            default -> throw new IllegalArgumentException(provider);
        }
        return h;
    }
}
