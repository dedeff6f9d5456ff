package dev.drover;

import dev.drover.internal.channel.ServerAddress;
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

    /** Listens on {@code address}, written as {@link Channel#connect(String)} and {@link GlobalData} take it: {@code host:port}. */
    public ChannelServer(String address) {
        this(embedded(address));
    }

    private ChannelServer(ServerAddress address) {
        this(address.host(), address.port());
    }

    static ServerAddress embedded(String address) {
        ServerAddress parsed = ServerAddress.parse(address);
        if (parsed.redis()) {
            throw new IllegalArgumentException("a ChannelServer listens on host:port, not " + parsed + ": Redis needs no server of drover's");
        }
        return parsed;
    }

    static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The server's worker group, e.g. to run it as another {@code user}. */
    public Worker getWorker() {
        return worker;
    }
}
