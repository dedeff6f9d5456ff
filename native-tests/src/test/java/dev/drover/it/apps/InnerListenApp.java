package dev.drover.it.apps;

import dev.drover.Worker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The manual's rule: a count-2 group whose onWorkerStart listens on text://127.0.0.1:app.port in
 * its own process. Writes "listening-ID" or "failed-ID" (with the error) into app.dir; with
 * app.rethrow the error escapes onWorkerStart instead.
 */
public final class InnerListenApp {
    private InnerListenApp() {}

    public static void main(String[] args) {
        Path dir = Path.of(System.getProperty("app.dir"));
        Worker outer = new Worker();
        outer.setCount(2);
        outer.setName("outer");
        outer.onWorkerStart(w -> {
            Worker inner = new Worker("text://127.0.0.1:" + Integer.getInteger("app.port"));
            inner.setReusePort(Boolean.getBoolean("app.reusePort"));
            inner.onMessage((connection, line) -> connection.send(ProcessHandle.current().pid() + " " + line));
            try {
                inner.listen();
                Files.writeString(dir.resolve("listening-" + w.getId()), "");
            } catch (RuntimeException e) {
                Files.writeString(dir.resolve("failed-" + w.getId()), e.getMessage());
                if (Boolean.getBoolean("app.rethrow")) {
                    throw e;
                }
            }
        });
        Worker.runAll(args);
    }
}
