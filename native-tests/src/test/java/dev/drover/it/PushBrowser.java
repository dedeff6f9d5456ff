package dev.drover.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the push demo's page does, without a browser: registers a uid over WebSocket and keeps every push it gets. */
final class PushBrowser implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern REGISTERED = Pattern.compile("registered as uid (\\S+) on push worker (\\d+)");

    private final List<String> pushes = new ArrayList<>();
    private final WebSocket socket;
    private String registration;
    private final StringBuilder partial = new StringBuilder();

    PushBrowser(int port, String uid) throws Exception {
        socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText(uid, true).get(5, TimeUnit.SECONDS);
        Await.until("uid " + uid + " registered", Duration.ofSeconds(10), () -> registration() != null);
    }

    private synchronized void received(String text) {
        if (registration == null && text.startsWith("registered")) {
            registration = text;
        } else {
            pushes.add(text);
        }
    }

    private synchronized String registration() {
        return registration;
    }

    /** The id of the push worker that holds this browser. */
    int worker() {
        Matcher m = REGISTERED.matcher(registration());
        if (!m.matches()) {
            throw new AssertionError("unexpected registration answer: " + registration());
        }
        return Integer.parseInt(m.group(2));
    }

    synchronized List<String> pushes() {
        return List.copyOf(pushes);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
