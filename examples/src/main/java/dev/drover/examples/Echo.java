package dev.drover.examples;

import dev.drover.Worker;

/**
 * A WebSocket echo service (scripts/bench measures round trips and idle connections with it):
 * {@code echo.count} workers (2) on {@code echo.listen} (websocket://0.0.0.0:7373).
 */
public final class Echo {
    private Echo() {}

    public static void main(String[] args) {
        Worker echo = new Worker(System.getProperty("echo.listen", "websocket://0.0.0.0:7373"));
        echo.setCount(Integer.getInteger("echo.count", 2)).setName("echo");
        echo.onMessage((connection, message) -> connection.send(message));
        Worker.runAll(args);
    }
}
