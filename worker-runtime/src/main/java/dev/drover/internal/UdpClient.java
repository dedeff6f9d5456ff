package dev.drover.internal;

import dev.drover.AsyncUdpConnection;
import dev.drover.SendStatus;
import dev.drover.master.IpText;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.function.Function;

/**
 * The socket of an {@link AsyncUdpConnection}: a datagram socket connected to one peer, on the
 * worker's event loop, so that only that peer's datagrams arrive and the kernel reports a peer
 * host's "port unreachable".
 */
public final class UdpClient {
    /** What the socket reports; each is called on the event loop. */
    public interface Events {
        /** Connected: datagrams may go. */
        void opened(UdpClient client);

        /** It could not be opened (the name did not resolve, no route): why. */
        void failed(String why);

        /** A datagram from the peer, whole. */
        void received(byte[] data);

        /** The peer's host answered an earlier datagram with "port unreachable", or the socket failed otherwise: why. */
        void refused(String why);
    }

    private final Channel channel;
    /** Kept from its opening: a closed channel has no addresses. */
    private final InetSocketAddress remote;
    private final InetSocketAddress local;

    private UdpClient(Channel channel) {
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.remoteAddress();
        this.local = (InetSocketAddress) channel.localAddress();
    }

    /** A new connection id, as the worker's connections get theirs. */
    public static long nextId() {
        return WorkerRuntime.current().nextConnectionId();
    }

    /** Opens a socket toward {@code host}:{@code port} on the worker's loop; {@code events} hears how it goes. */
    public static void open(String host, int port, Events events) {
        WorkerRuntime runtime = WorkerRuntime.current();
        Bootstrap bootstrap = new Bootstrap()
                .group(runtime.loop())
                .channelFactory(EpollDatagramChannel::new)
                .option(ChannelOption.RCVBUF_ALLOCATOR, Datagrams.WHOLE)
                .handler(new ForwardingInbound() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        byte[] data = Datagrams.take((DatagramPacket) message);
                        runtime.requestArrived();
                        events.received(data);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        events.refused(cause instanceof PortUnreachableException
                                ? "port unreachable: nothing listens there (ECONNREFUSED)" : Dialer.reason(cause));
                    }
                });
        Lookups.resolve(host, port, runtime.loop(), (address, failure) -> {
            if (failure != null) {
                events.failed(Dialer.reason(failure));
                return;
            }
            ChannelFuture connected = bootstrap.connect(address);
            connected.addListener(done -> {
                if (done.isSuccess()) {
                    events.opened(new UdpClient(connected.channel()));
                } else {
                    events.failed(Dialer.reason(done.cause()));
                }
            });
        });
    }

    /** Sends {@code data} as one datagram to the peer; {@code failed} is given why it could not be, and answers what send returns. */
    public SendStatus send(byte[] data, Function<String, SendStatus> failed) {
        return Datagrams.send(channel, remote, true, data, failed);
    }

    public void close() {
        channel.close();
    }

    public void pauseRecv(boolean pause) {
        channel.config().setAutoRead(!pause);
    }

    public String remoteIp() {
        return IpText.of(remote.getAddress());
    }

    public String localIp() {
        return IpText.of(local.getAddress());
    }

    public int localPort() {
        return local.getPort();
    }
}
