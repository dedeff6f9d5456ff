package dev.drover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A {@code wrk} run in the background (scripts/test installs wrk), and what it reported. */
final class Wrk implements AutoCloseable {
    private final Process process;
    private final Path output;

    private Wrk(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code wrk -t2 -cCONNECTIONS -dSECONDSs http://127.0.0.1:PORT/}. */
    static Wrk start(Path dir, int port, int connections, int seconds) {
        Path output = dir.resolve("wrk-" + System.nanoTime() + ".txt");
        try {
            Process process = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "http://127.0.0.1:" + port + "/")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Wrk(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run wrk (scripts/test installs it: apt-get install wrk)", e);
        }
    }

    boolean running() {
        return process.isAlive();
    }

    /** Waits for the end of the run and returns wrk's report. */
    String report() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            throw new AssertionError("wrk did not finish within 120 s");
        }
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests wrk completed, from its "N requests in" line. */
    static long requests(String report) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(report);
        if (!m.find()) {
            throw new AssertionError("no request count in wrk's report:\n" + report);
        }
        return Long.parseLong(m.group(1));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
