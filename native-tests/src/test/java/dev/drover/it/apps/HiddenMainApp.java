package dev.drover.it.apps;

import dev.drover.Worker;

/**
 * An application whose main class is not public, as the java launcher allows: its workers answer
 * HTTP with "hidden". System property app.listen.
 */
final class HiddenMainApp {
    private HiddenMainApp() {}

    public static void main(String[] args) {
        Worker web = new Worker(System.getProperty("app.listen", "http://127.0.0.1:0"));
        web.setCount(1);
        web.onMessage((connection, request) -> connection.send("hidden"));
        Worker.runAll(args);
    }
}
