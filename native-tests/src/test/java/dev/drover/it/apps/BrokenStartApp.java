package dev.drover.it.apps;

import dev.drover.Worker;

/** A worker whose onWorkerStart always throws: a crash loop for the backoff. Its onWorkerStop, which runs then, throws too. */
public final class BrokenStartApp {
    private BrokenStartApp() {}

    public static void main(String[] args) {
        Worker web = new Worker("http://127.0.0.1:0").setName("broken");
        web.onWorkerStart(w -> {
            throw new IllegalStateException("onWorkerStart is broken on purpose");
        });
        web.onWorkerStop(w -> {
            throw new IllegalStateException("onWorkerStop ran after the failure, and failed too");
        });
        Worker.runAll(args);
    }
}
