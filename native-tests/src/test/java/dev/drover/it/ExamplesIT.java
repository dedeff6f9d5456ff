package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.examples.Chat;
import dev.drover.examples.JsonApi;
import dev.drover.examples.LengthPrefixed;
import dev.drover.examples.Proxy;
import dev.drover.examples.Ticker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6: every example in examples/ runs and does what its Javadoc says. */
@Timeout(120)
class ExamplesIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void chatBroadcastsToEveryone(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, Chat.class, "-Dchat.listen=websocket://127.0.0.1:" + port)) {
            app.start();
            LinkedBlockingQueue<String> alice = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> bob = new LinkedBlockingQueue<>();
            WebSocket a = connect(port, alice);
            assertTrue(alice.poll(10, TimeUnit.SECONDS).endsWith(" joined"));
            WebSocket b = connect(port, bob);
            assertTrue(bob.poll(10, TimeUnit.SECONDS).endsWith(" joined"));
            assertTrue(alice.poll(10, TimeUnit.SECONDS).endsWith(" joined"), "alice hears bob join");
            a.sendText("hello all", true).get(10, TimeUnit.SECONDS);
            assertTrue(bob.poll(10, TimeUnit.SECONDS).endsWith(": hello all"));
            assertTrue(alice.poll(10, TimeUnit.SECONDS).endsWith(": hello all"));
            b.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            assertTrue(alice.poll(10, TimeUnit.SECONDS).endsWith(" left"));
        }
    }

    @Test
    void echoAnswersEveryMessage(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, dev.drover.examples.Echo.class, "-Decho.listen=websocket://127.0.0.1:" + port)) {
            app.start();
            assertEquals(2, app.workers().size());
            LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
            WebSocket ws = connect(port, heard);
            for (int i = 0; i < 3; i++) {
                ws.sendText("ping " + i, true).get(10, TimeUnit.SECONDS);
                assertEquals("ping " + i, heard.poll(10, TimeUnit.SECONDS));
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The push demo refuses a binary frame for a uid with 1003; it cast it to String, and the worker
     * ended with 250. A browser keeps its uid on its connection (put, get), so one that leaves
     * does not take its uid from a browser that registered it after it.
     */
    @Test
    void thePushDemoRefusesABinaryUidAndForgetsOnlyTheBrowserThatLeft(@TempDir Path dir) throws Exception {
        int ws = Ports.free();
        int pushes = Ports.free();
        try (App app = new App(dir, "dev.drover.examples.Push", "-Dpush.websocket=websocket://127.0.0.1:" + ws,
                "-Dpush.text=text://127.0.0.1:" + pushes, "-Dpush.http=http://127.0.0.1:0")) {
            app.start();
            long worker = app.workers().stream().filter(w -> w.name().equals("push")).findFirst().orElseThrow().pid();
            java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
            WebSocket binary = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + ws + "/"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            binary.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {'1'}), true).get(10, TimeUnit.SECONDS);
            assertEquals(1003, closed.get(10, TimeUnit.SECONDS));
            LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
            WebSocket text = connect(ws, heard);
            text.sendText("1", true).get(10, TimeUnit.SECONDS);
            assertEquals("registered as uid 1", heard.poll(10, TimeUnit.SECONDS));
            LinkedBlockingQueue<String> heardSecond = new LinkedBlockingQueue<>();
            WebSocket second = connect(ws, heardSecond);
            second.sendText("1", true).get(10, TimeUnit.SECONDS);
            assertEquals("registered as uid 1", heardSecond.poll(10, TimeUnit.SECONDS));
            text.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            Await.until("the first browser's connection is closed", Duration.ofSeconds(10), () -> connectionsOf(app, worker) == 1);
            assertEquals("ok", TextClient.ask(pushes, "{\"uid\":\"1\",\"percent\":\"5%\"}"));
            assertEquals("5%", heardSecond.poll(10, TimeUnit.SECONDS));
            assertEquals(worker, app.workers().stream().filter(w -> w.name().equals("push")).findFirst().orElseThrow().pid(),
                    "the same worker: it did not end");
        }
    }

    private static int connectionsOf(App app, long pid) {
        for (var process : app.status().get("processes")) {
            if (process.get("pid").asLong() == pid) {
                return process.get("connections").asInt();
            }
        }
        throw new AssertionError("no worker " + pid + " in status");
    }

    private WebSocket connect(int port, LinkedBlockingQueue<String> heard) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                heard.add(data.toString());
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void jsonApiAddsAndListsItems(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, JsonApi.class, "-Dapi.listen=http://127.0.0.1:" + port)) {
            app.start();
            URI items = URI.create("http://127.0.0.1:" + port + "/items");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(items).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"drover\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode());
            assertEquals("{\"id\":1,\"name\":\"drover\"}", created.body());
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"items\":[\"drover\"]}", list.body());
            HttpResponse<String> quoted = http.send(HttpRequest.newBuilder(items).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"a \\\"b\\\" \\\\ \\u00e9\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"id\":2,\"name\":\"a \\\"b\\\" \\\\ \u00e9\"}", quoted.body(), "escapes read, and written back");
            assertEquals("{\"items\":[\"drover\",\"a \\\"b\\\" \\\\ \u00e9\"]}",
                    http.send(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.ofString()).body(), "still JSON");
            String longName = "n".repeat(100_000); // read without a recursion per character (a StackOverflowError ended the worker)
            HttpResponse<String> big = http.send(HttpRequest.newBuilder(items).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + longName + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"id\":3,\"name\":\"" + longName + "\"}", big.body());
            assertEquals("application/json", list.headers().firstValue("content-type").orElseThrow());
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(items).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
        }
    }

    @Test
    void tickerWritesEveryTick(@TempDir Path dir) {
        Path ticks = dir.resolve("ticks.log");
        try (App app = new App(dir, Ticker.class, "-Dticker.file=" + ticks, "-Dticker.seconds=0.1")) {
            app.start();
            Await.until("three ticks", Duration.ofSeconds(20), () -> {
                try {
                    return Files.exists(ticks) && Files.readAllLines(ticks).size() >= 3;
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals("tick 1", read(ticks).split("\n")[0]);
            assertEquals(1, app.status().get("processes").get(0).get("timers").asInt());
        }
    }

    @Test
    void aCustomProtocolServesInUpperCase(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        try (App app = new App(dir, LengthPrefixed.class, "-Dlp.listen=lp://127.0.0.1:" + port)) {
            app.start();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeShort(5);
                out.write("shout".getBytes(StandardCharsets.UTF_8));
                DataInputStream in = new DataInputStream(socket.getInputStream());
                assertEquals(5, in.readShort());
                byte[] body = new byte[5];
                in.readFully(body);
                assertEquals("SHOUT", new String(body, StandardCharsets.UTF_8));
                byte[] growing = "\u0149".repeat(30_000).getBytes(StandardCharsets.UTF_8); // 60,000 bytes, 90,000 in upper case
                out.writeShort(growing.length);
                out.write(growing);
                byte[] refused = new byte[in.readUnsignedShort()];
                in.readFully(refused);
                assertEquals("ERROR: the answer would be over 65535 bytes", new String(refused, StandardCharsets.UTF_8),
                        "not a length that wrapped, with the stream out of step after it");
            }
        }
    }

    @Test
    void theProxyPipesBothWays(@TempDir Path dir) throws Exception {
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread echo = new Thread(() -> {
                try (Socket peer = target.accept()) {
                    InputStream in = peer.getInputStream();
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        peer.getOutputStream().write(buffer, 0, n);
                    }
                } catch (IOException done) {
                    // the proxy closed
                }
            }, "echo-target");
            echo.setDaemon(true);
            echo.start();
            int port = Ports.free();
            try (App app = new App(dir, Proxy.class, "-Dproxy.listen=tcp://127.0.0.1:" + port,
                    "-Dproxy.target=127.0.0.1:" + target.getLocalPort())) {
                app.start();
                try (Socket client = new Socket("127.0.0.1", port)) {
                    client.setSoTimeout(5000);
                    client.getOutputStream().write("through the proxy".getBytes(StandardCharsets.UTF_8));
                    byte[] answer = new byte["through the proxy".length()];
                    new DataInputStream(client.getInputStream()).readFully(answer);
                    assertEquals("through the proxy", new String(answer, StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
