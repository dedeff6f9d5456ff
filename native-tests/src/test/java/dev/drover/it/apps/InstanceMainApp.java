package dev.drover.it.apps;

import dev.drover.Worker;

/**
 * Java 25's launch protocol (JEP 512): a class that is not public, whose main is an instance
 * method. Its workers answer HTTP with "instance". System property app.listen.
 */
class InstanceMainApp {
    private final String answer = "instance";

    void main(String[] args) {
        Worker web = new Worker(System.getProperty("app.listen", "http://127.0.0.1:0"));
        web.setCount(1);
        web.onMessage((connection, request) -> connection.send(answer));
        Worker.runAll(args);
    }
}
