package dev.drover.it.apps;

import dev.drover.Channel;
import dev.drover.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A Channel client whose server (app.port) accepts each connection and closes it at once, as a
 * proxy in front of a restarting server does: the server appends the time of each connection, in
 * milliseconds, to app.dir/connects.txt.
 */
public final class SlammingServerApp {
    private SlammingServerApp() {}

    public static void main(String[] args) {
        int port = Integer.getInteger("app.port");
        Path connects = Path.of(System.getProperty("app.dir"), "connects.txt");
        Worker slammer = new Worker("tcp://127.0.0.1:" + port).setName("slammer");
        slammer.onConnect(connection -> {
            Files.writeString(connects, System.currentTimeMillis() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            connection.close();
        });
        Worker client = new Worker().setName("client");
        client.onWorkerStart(w -> Channel.connect("127.0.0.1", port));
        Worker.runAll(args);
    }
}
