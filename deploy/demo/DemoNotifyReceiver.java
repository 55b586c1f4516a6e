// DEMO ONLY: a receiver for the notifier's generic webhook sink, run by deploy/quickstart.sh (MOMENTUM_NOTIFY=1)
// as a single-file program: java DemoNotifyReceiver.java PORT SECRET_FILE
// It prints every notification it gets and whether its signature is right, the way a real receiver should check it:
// HMAC-SHA256 over the exact body bytes with the shared secret, compared in constant time with X-Momentum-Signature.

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class DemoNotifyReceiver {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        byte[] secret = Files.readString(Path.of(args[1])).strip().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String signature = exchange.getRequestHeaders().getFirst("X-Momentum-Signature");
            boolean verified = signature != null && MessageDigest.isEqual(
                    ("sha256=" + hmac(secret, body)).getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII));
            System.out.printf("%s %s %s (%s, sent %s): %s%n%s%n%n", Instant.now(),
                    verified ? "VERIFIED" : "BAD SIGNATURE",
                    exchange.getRequestHeaders().getFirst("X-Momentum-Event"),
                    exchange.getRequestHeaders().getFirst("X-Momentum-Notification"),
                    exchange.getRequestHeaders().getFirst("X-Momentum-Timestamp"),
                    exchange.getRequestURI(), new String(body, StandardCharsets.UTF_8));
            System.out.flush();
            exchange.sendResponseHeaders(verified ? 204 : 401, -1);
            exchange.close();
        });
        server.start();
        System.out.println("demo notification receiver on 127.0.0.1:" + port);
    }

    private static String hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
