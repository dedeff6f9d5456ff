package dev.drover.internal.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.epoll.EpollChannelOption;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive for the connections to the channel, GlobalData and Redis servers: probed after
 * 30 s idle, 10 s apart, given up after 3 unanswered, as Workerman pings its Channel server every
 * 55 s. A connection a NAT or firewall dropped while idle is found within ~1 minute, rather than the
 * kernel's 2 h, during which a subscriber missed every event and a call waited on a dead peer.
 */
final class KeepAlive {
    static final Duration IDLE = Duration.ofSeconds(30);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final int PROBES = 3;

    private KeepAlive() {}

    static Bootstrap on(Bootstrap bootstrap) {
        return bootstrap.option(io.netty.channel.ChannelOption.SO_KEEPALIVE, true)
                .option(EpollChannelOption.TCP_KEEPIDLE, (int) IDLE.toSeconds())
                .option(EpollChannelOption.TCP_KEEPINTVL, (int) INTERVAL.toSeconds())
                .option(EpollChannelOption.TCP_KEEPCNT, PROBES);
    }

    static void on(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, (int) IDLE.toSeconds());
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, (int) INTERVAL.toSeconds());
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, PROBES);
    }
}
