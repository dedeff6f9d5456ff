package dev.drover.it.apps;

import dev.drover.ChannelServer;
import dev.drover.Worker;

/** The embedded channel server alone, at app.channel (host:port), for clients the test plays itself. */
public final class ChannelServerApp {
    private ChannelServerApp() {}

    public static void main(String[] args) {
        new ChannelServer(System.getProperty("app.channel"));
        Worker.runAll(args);
    }
}
