package dev.drover.examples;

import dev.drover.Worker;

/** The README's example: four worker processes answering HTTP on port 8080. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        Worker web = new Worker(System.getProperty("hello.listen", "http://0.0.0.0:8080"));
        web.setCount(Integer.getInteger("hello.count", 4));
        web.setName("web");
        web.onWorkerStart(w -> System.out.println("worker " + w.getId() + " up"));
        web.onMessage((connection, request) -> connection.send("hello"));
        Worker.runAll(args);
    }
}
