package dev.drover.it.apps;

import dev.drover.Worker;

/** A text server on 127.0.0.1:app.port that answers "echo: LINE". */
public final class EchoServerApp {
    private EchoServerApp() {}

    public static void main(String[] args) {
        Worker server = new Worker("text://127.0.0.1:" + Integer.getInteger("app.port")).setName("server");
        server.onMessage((connection, line) -> connection.send("echo: " + line));
        Worker.runAll(args);
    }
}
