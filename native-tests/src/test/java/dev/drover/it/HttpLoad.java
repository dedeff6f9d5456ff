package dev.drover.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A client that sends requests one after another, each on a new connection, until stopped. */
final class HttpLoad implements AutoCloseable {
    private final int port;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;

    HttpLoad(int port) {
        this.port = port;
        this.thread = new Thread(this::run, "http-load");
        thread.start();
    }

    private void run() {
        while (running.get()) {
            try {
                Http.get(port, "/");
                answered.incrementAndGet();
            } catch (java.io.IOException e) {
                synchronized (failures) {
                    failures.add(e.toString());
                }
            }
        }
    }

    int answered() {
        return answered.get();
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
