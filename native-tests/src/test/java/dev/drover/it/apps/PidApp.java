package dev.drover.it.apps;

import dev.drover.Worker;
import dev.drover.http.Request;

/**
 * Answers every HTTP request with "pid id" of the worker that served it; GET /crash throws.
 * System properties: app.listen, app.count, app.reusePort.
 */
public final class PidApp {
    private PidApp() {}

    public static void main(String[] args) {
        Worker web = new Worker(System.getProperty("app.listen", "http://127.0.0.1:0"));
        web.setCount(Integer.getInteger("app.count", 4));
        web.setName("web");
        web.setReusePort(Boolean.getBoolean("app.reusePort"));
        web.onMessage((connection, request) -> {
            if (((Request) request).path().equals("/crash")) {
                throw new IllegalStateException("crash requested");
            }
            connection.send(ProcessHandle.current().pid() + " " + connection.getWorker().getId());
        });
        Worker.runAll(args);
    }
}
