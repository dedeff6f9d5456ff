package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.SendStatus;
import dev.drover.Worker;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A {@link Connection} over a Netty channel, encoding with its worker's protocol. */
final class NettyConnection implements Connection {
    /** How long a stopping worker waits for the first request of a connection it just accepted. */
    static final Duration FIRST_REQUEST_GRACE = Duration.ofSeconds(1);

    private final Channel channel;
    private final Worker worker;
    private final Protocol protocol;
    private final long id;
    private final Traffic traffic;
    private final WorkerRuntime runtime;
    /** HTTP: a request was read and its response not yet sent. */
    private boolean awaitingResponse;
    /** HTTP: how many requests arrived on this connection. */
    private int requestsSeen;
    /** The worker stops: close once the response in flight went out. */
    private boolean draining;

    NettyConnection(Channel channel, Worker worker, Protocol protocol, long id, Traffic traffic, WorkerRuntime runtime) {
        this.channel = channel;
        this.worker = worker;
        this.protocol = protocol;
        this.id = id;
        this.traffic = traffic;
        this.runtime = runtime;
    }

    @Override
    public SendStatus send(String data) {
        return send((Object) data);
    }

    @Override
    public SendStatus send(byte[] data) {
        return send((Object) data);
    }

    @Override
    public SendStatus send(Object data) {
        if (!channel.isActive()) {
            runtime.sendFailed();
            return SendStatus.FAILED;
        }
        Object message = protocol.encode(data, channel.alloc());
        boolean closeAfter = false;
        if (message instanceof HttpResponse response) {
            awaitingResponse = false;
            if (draining) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                closeAfter = true;
            }
        }
        ChannelFuture written = channel.writeAndFlush(message);
        if (closeAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        return written.isDone() && written.isSuccess() ? SendStatus.WRITTEN : SendStatus.QUEUED;
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An HTTP request arrived; its response is owed. */
    void requestArrived() {
        awaitingResponse = true;
        requestsSeen++;
    }

    /**
     * The worker stops: it lets this connection end without losing a request. HTTP: a response in
     * flight goes out with {@code Connection: close}; a new connection whose first request has not
     * arrived yet gets {@link #FIRST_REQUEST_GRACE} for it; an idle keep-alive connection closes
     * now. Other protocols close now, unless {@code graceful} leaves them to their clients.
     */
    void drain(boolean graceful) {
        if (protocol != Protocol.HTTP) {
            if (!graceful) {
                close();
            }
            return;
        }
        draining = true;
        if (awaitingResponse) {
            return;
        }
        if (requestsSeen == 0) {
            channel.eventLoop().schedule(() -> {
                if (!awaitingResponse) {
                    close();
                }
            }, FIRST_REQUEST_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        close();
    }

    @Override
    public long getId() {
        return id;
    }

    private InetSocketAddress remote() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    private InetSocketAddress local() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public String getRemoteIp() {
        return remote().getAddress().getHostAddress();
    }

    @Override
    public int getRemotePort() {
        return remote().getPort();
    }

    @Override
    public String getLocalIp() {
        return local().getAddress().getHostAddress();
    }

    @Override
    public int getLocalPort() {
        return local().getPort();
    }

    @Override
    public Worker getWorker() {
        return worker;
    }

    /** One row of {@code connections}: id, transport, protocol, local, remote, recv-q, send-q, bytes read, written, state. */
    String row() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        long sendQueue = outbound == null ? 0 : outbound.totalPendingWriteBytes();
        return String.join("\t", Long.toString(id), "tcp", protocol.name().toLowerCase(), address(local()), address(remote()), "0",
                Long.toString(sendQueue), Long.toString(traffic.bytesRead()), Long.toString(traffic.bytesWritten()),
                channel.isActive() ? (draining ? "CLOSING" : "ESTABLISHED") : "CLOSED");
    }

    private static String address(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        InetAddress ip = address.getAddress();
        String host = ip.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + channel.remoteAddress();
    }
}
