package dev.drover;

import dev.drover.internal.channel.ServerSide;

/**
 * Workerman's {@code GlobalData\Server}: the same embedded server as {@link ChannelServer}, under
 * the name {@code GlobalDataServer} and on Workerman's GlobalData port. One {@code ChannelServer}
 * serves {@link GlobalData} as well; this is for programs that keep the two apart as Workerman's do.
 */
public final class GlobalDataServer {
    private final Worker worker;

    /** Listens on 127.0.0.1:2207, reachable from this host only. */
    public GlobalDataServer() {
        this("127.0.0.1", 2207);
    }

    /** Listens on {@code host:port}; anyone who can reach it may change values. */
    public GlobalDataServer(String host, int port) {
        this.worker = ServerSide.serve(new Worker("frame://" + ChannelServer.hostPart(host) + ":" + port), "GlobalDataServer");
    }

    /** The server's worker group. */
    public Worker getWorker() {
        return worker;
    }
}
