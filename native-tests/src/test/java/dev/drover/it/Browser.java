package dev.drover.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium opening one page, read through the DevTools protocol (a WebSocket),
 * so a test can evaluate JavaScript in the page, e.g. to read its DOM.
 */
final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket devtools;
    private final LinkedBlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();

    Browser(Path dir, String url) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new AssertionError("no " + CHROMIUM + ": the README's test command installs Debian's chromium");
        }
        int port = Ports.free();
        process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--remote-debugging-port=" + port, "--user-data-dir=" + dir.resolve("chromium-profile"), url)
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        String socketUrl = Await.value("Chromium's DevTools lists the page", Duration.ofSeconds(60), () -> {
            try {
                JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode target : targets) {
                    if (target.get("type").asText().equals("page")) {
                        return target.get("webSocketDebuggerUrl").asText();
                    }
                }
                return null;
            } catch (IOException notYet) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
        devtools = http.newWebSocketBuilder().buildAsync(URI.create(socketUrl), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        answers.add(JSON.readTree(text.toString()));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    /** Evaluates a JavaScript expression in the page and returns its value as text. */
    String evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        String request = JSON.writeValueAsString(JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate")
                .set("params", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)));
        devtools.sendText(request, true).get(10, TimeUnit.SECONDS);
        while (true) {
            JsonNode answer = answers.poll(10, TimeUnit.SECONDS);
            if (answer == null) {
                throw new AssertionError("Chromium did not answer " + expression);
            }
            if (answer.path("id").asInt() == id) {
                return answer.path("result").path("result").path("value").asText();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        devtools.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
