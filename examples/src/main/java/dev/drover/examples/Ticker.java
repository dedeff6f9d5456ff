package dev.drover.examples;

import dev.drover.Timer;
import dev.drover.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A timer-only worker: no listener, a line appended to ticks.log every second. */
public final class Ticker {
    private Ticker() {}

    public static void main(String[] args) {
        Path file = Path.of(System.getProperty("ticker.file", "ticks.log"));
        Worker ticker = new Worker().setName("ticker");
        ticker.onWorkerStart(worker -> {
            long[] n = {0};
            Timer.add(Double.parseDouble(System.getProperty("ticker.seconds", "1")), () ->
                    Files.writeString(file, "tick " + ++n[0] + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        });
        Worker.runAll(args);
    }
}
