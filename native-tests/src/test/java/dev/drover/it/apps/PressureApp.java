package dev.drover.it.apps;

import dev.drover.Connection;
import dev.drover.SendStatus;
import dev.drover.Worker;

/**
 * Back-pressure on text://127.0.0.1:0. A client's "flood" makes the server send 64 KiB lines
 * until send returns FAILED; "pause" stops reading that connection; "stats ID" answers how the
 * connection with that id fared; "resume ID" reads it again.
 */
public final class PressureApp {
    private PressureApp() {}

    private static int full;
    private static int drained;
    private static long queuedBeforeFailure;

    public static void main(String[] args) {
        Worker line = new Worker("text://127.0.0.1:0").setName("line");
        line.onBufferFull(c -> full++);
        line.onBufferDrain(c -> drained++);
        line.onMessage((connection, data) -> {
            String command = (String) data;
            if (command.equals("flood")) {
                String chunk = "x".repeat(64 * 1024);
                long sent = 0;
                while (connection.send(chunk) != SendStatus.FAILED) {
                    sent += chunk.length() + 1;
                }
                queuedBeforeFailure = sent;
            } else if (command.equals("pause")) {
                connection.send("paused " + connection.getId());
                connection.pauseRecv();
            } else if (command.startsWith("resume ")) {
                Connection paused = line.getConnections().get(Long.parseLong(command.substring(7)));
                paused.resumeRecv();
                connection.send("resumed");
            } else if (command.startsWith("stats")) {
                connection.send("full=" + full + " drained=" + drained + " sent=" + queuedBeforeFailure + " max="
                        + connection.getMaxSendBufferSize());
            } else {
                connection.send("got " + command.length());
            }
        });
        Worker.runAll(args);
    }
}
