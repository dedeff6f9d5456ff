package dev.drover.it.apps;

import dev.drover.AsyncTcpConnection;
import dev.drover.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A client-only worker, as the manual's push flow: an AsyncTcpConnection to text://127.0.0.1:app.port
 * that says hello on every connect, appends what it hears to app.dir/heard.txt, and reconnects 1 s
 * after every close (including a failed connect).
 */
public final class PushClientApp {
    private PushClientApp() {}

    public static void main(String[] args) {
        Path heard = Path.of(System.getProperty("app.dir"), "heard.txt");
        Worker client = new Worker().setName("client");
        client.onWorkerStart(w -> {
            AsyncTcpConnection connection = new AsyncTcpConnection("text://127.0.0.1:" + Integer.getInteger("app.port"));
            connection.onConnect(c -> c.send("hello from " + ProcessHandle.current().pid()));
            connection.onMessage((c, line) -> Files.writeString(heard, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            connection.onError((c, code, message) -> System.out.println("error " + code + ": " + message));
            connection.onClose(c -> connection.reconnect(1));
            connection.connect();
        });
        Worker.runAll(args);
    }
}
