import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DEMO ONLY: a stand-in for a Puppet Server compile master, so the quickstart can show the whole flow on one
 * machine without installing Puppet Server. It answers the Puppet Server status API the health monitor probes, and
 * {@code GET /code/<environment>} with the control-repository commit deployed in that environment (read from r10k's
 * {@code .r10k-deploy.json}), which is how the quickstart shows which code a request through the load balancer hit.
 *
 * <p>Run with the JDK's single-file launcher: {@code java DemoCompileMaster.java <port> <environmentsDir> <name>}.
 * Touch {@code <environmentsDir>/../demo-down} to make its status endpoint fail, or {@code demo-hang} beside it to make
 * it accept connections and never answer (a hung Puppet Server); {@code deploy/quickstart.sh fault master} does both.
 */
public final class DemoCompileMaster {

    private static final Pattern SIGNATURE = Pattern.compile("\"signature\"\\s*:\\s*\"([0-9a-f]{40})\"");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9_]{1,255}");

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path environments = Path.of(args[1]).toAbsolutePath();
        String name = args[2];
        Path downFlag = environments.resolveSibling("demo-down");
        Path hangFlag = environments.resolveSibling("demo-hang");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        // One thread per request, so that hung requests never stop the server from accepting more.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/status/v1/simple", exchange -> {
            if (hangWhile(hangFlag, exchange)) {
                return;
            }
            boolean down = Files.exists(downFlag);
            send(exchange, down ? 503 : 200, down ? "error" : "running");
        });
        server.createContext("/status/v1/services", exchange -> {
            if (hangWhile(hangFlag, exchange)) {
                return;
            }
            boolean down = Files.exists(downFlag);
            send(exchange, down ? 503 : 200, "{\"status-service\":{\"state\":\"" + (down ? "error" : "running")
                    + "\"}}");
        });
        server.createContext("/code/", exchange -> {
            if (hangWhile(hangFlag, exchange)) {
                return;
            }
            String environment = exchange.getRequestURI().getPath().substring("/code/".length());
            if (!ENVIRONMENT.matcher(environment).matches()) {
                send(exchange, 400, "bad environment name\n");
                return;
            }
            Path deployInfo = environments.resolve(environment).resolve(".r10k-deploy.json");
            if (!Files.exists(deployInfo)) {
                send(exchange, 404, name + " has no environment " + environment + "\n");
                return;
            }
            Matcher m = SIGNATURE.matcher(Files.readString(deployInfo));
            send(exchange, 200, (m.find() ? m.group(1) : "unknown") + " " + name + "\n");
        });
        server.start();
        System.out.println("demo compile master " + name + " on 127.0.0.1:" + port + " serving " + environments);
    }

    /**
     * While the hang flag exists, holds the request unanswered; once it is gone, closes the connection without an
     * answer. True when the request was held (the caller must not answer it); false at once without the flag.
     */
    private static boolean hangWhile(Path hangFlag, HttpExchange exchange) {
        if (!Files.exists(hangFlag)) {
            return false;
        }
        try {
            while (Files.exists(hangFlag)) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
        return true;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
