package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.SendStatus;
import dev.drover.Worker;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;

/** A {@link Connection} over a Netty channel, encoding with its worker's protocol. */
final class NettyConnection implements Connection {
    private final Channel channel;
    private final Worker worker;
    private final Protocol protocol;
    private final long id;

    NettyConnection(Channel channel, Worker worker, Protocol protocol, long id) {
        this.channel = channel;
        this.worker = worker;
        this.protocol = protocol;
        this.id = id;
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
            return SendStatus.FAILED;
        }
        ChannelFuture written = channel.writeAndFlush(protocol.encode(data, channel.alloc()));
        return written.isDone() && written.isSuccess() ? SendStatus.WRITTEN : SendStatus.QUEUED;
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
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

    @Override
    public String toString() {
        return "connection " + id + " from " + channel.remoteAddress();
    }
}
