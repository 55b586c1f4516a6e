package io.momentum.notifier.commitstatus.host;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** One POST with a JSON body. Its headers carry the token: {@link #toString()} leaves them out. */
public record HostCall(URI uri, Map<String, String> headers, Map<String, Object> body) {

    /** Each segment of a path percent-encoded (an Azure DevOps project may have a space in its name). */
    static String encodePath(String path) {
        return Arrays.stream(path.split("/"))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Basic with a user name, Bearer without. */
    static String bearerOrBasic(HostEndpoint endpoint) {
        return endpoint.username() == null ? bearer(endpoint.token()) : basic(endpoint.username(), endpoint.token());
    }

    @Override
    public String toString() {
        return "POST " + uri;
    }
}
