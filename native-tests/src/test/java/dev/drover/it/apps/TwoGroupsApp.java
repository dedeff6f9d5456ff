package dev.drover.it.apps;

import dev.drover.Worker;

/** Two groups on kernel-chosen ports: http "web" with 2 workers, text "chat" with 1; both on port app.samePort when that is set. */
public final class TwoGroupsApp {
    private TwoGroupsApp() {}

    public static void main(String[] args) {
        String port = System.getProperty("app.samePort", "0");
        Worker web = new Worker("http://127.0.0.1:" + port).setCount(2).setName("web");
        web.onMessage((connection, request) -> connection.send("web"));
        Worker chat = new Worker("text://127.0.0.1:" + port).setName("chat");
        chat.onMessage((connection, line) -> connection.send("chat " + line));
        Worker.runAll(args);
    }
}
