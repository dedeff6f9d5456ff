package dev.drover.it.apps;

import dev.drover.Worker;

/**
 * A text server on 127.0.0.1:app.port that answers "echo: LINE"; "connections" answers how many
 * connections its worker has open, "stop all" stops the app (from its worker).
 */
public final class EchoServerApp {
    private EchoServerApp() {}

    public static void main(String[] args) {
        Worker server = new Worker("text://127.0.0.1:" + Integer.getInteger("app.port")).setName("server");
        server.onMessage((connection, line) -> {
            if ("connections".equals(line)) {
                connection.send(Integer.toString(server.getConnections().size()));
            } else if ("stop all".equals(line)) {
                connection.send("stopping");
                Worker.stopAll();
            } else {
                connection.send("echo: " + line);
            }
        });
        Worker.runAll(args);
    }
}
