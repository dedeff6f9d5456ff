package dev.drover.examples;

import dev.drover.Connection;
import dev.drover.Worker;

/** A WebSocket chat: every message is broadcast to everyone connected (one process, so everyone is here). */
public final class Chat {
    private Chat() {}

    public static void main(String[] args) {
        Worker chat = new Worker(System.getProperty("chat.listen", "websocket://0.0.0.0:7272")).setName("chat");
        chat.onWebSocketConnect((connection, request) -> broadcast(chat, "user " + connection.getId() + " joined"));
        chat.onMessage((connection, text) -> broadcast(chat, "user " + connection.getId() + ": " + text));
        chat.onClose(connection -> broadcast(chat, "user " + connection.getId() + " left"));
        Worker.runAll(args);
    }

    private static void broadcast(Worker chat, String message) {
        for (Connection connection : chat.getConnections().values()) {
            connection.send(message);
        }
    }
}
