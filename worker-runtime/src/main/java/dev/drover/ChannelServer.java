package dev.drover;

import dev.drover.internal.channel.ServerSide;

/**
 * Workerman's {@code Channel\Server}: the embedded server of {@link Channel} and {@link GlobalData},
 * a worker group of its own (name {@code ChannelServer}, count 1, {@code frame://}, not restarted by
 * {@code reload}). Create it before {@link Worker#runAll}; workers then {@code Channel.connect} to
 * its address. Its values live in its memory: a restart of its process starts them empty.
 */
public final class ChannelServer {
    private final Worker worker;

    /** Listens on 127.0.0.1:2206, Workerman's default port, reachable from this host only. */
    public ChannelServer() {
        this("127.0.0.1", 2206);
    }

    /** Listens on {@code host:port}; anyone who can reach it may publish and change values. */
    public ChannelServer(String host, int port) {
        this.worker = ServerSide.serve(new Worker("frame://" + hostPart(host) + ":" + port), "ChannelServer");
    }

    static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The server's worker group, e.g. to run it as another {@code user}. */
    public Worker getWorker() {
        return worker;
    }
}
