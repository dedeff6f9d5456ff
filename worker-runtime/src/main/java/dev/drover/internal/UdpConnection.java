package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.ConnectionCallback;
import dev.drover.ErrorCallback;
import dev.drover.MessageCallback;
import dev.drover.Protocol;
import dev.drover.SendStatus;
import dev.drover.Worker;
import dev.drover.master.IpText;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * The sender of one datagram to a {@code udp://} worker (or a protocol's over transport udp), as a
 * Connection: {@code send} answers that sender.
 * There is no stream, so closing, buffers and piping do nothing.
 */
final class UdpConnection implements Connection {
    private final Channel channel;
    private final InetSocketAddress sender;
    private final Worker worker;
    private final long id;
    private final Protocol protocol;
    private final ConnectionProperties properties = new ConnectionProperties();

    /** @param protocol what a protocol's scheme over transport udp encodes with; null for udp:// */
    UdpConnection(Channel channel, InetSocketAddress sender, Worker worker, long id, Protocol protocol) {
        this.channel = channel;
        this.sender = sender;
        this.worker = worker;
        this.id = id;
        this.protocol = protocol;
    }

    /** One datagram: {@code data}, as the protocol encodes it (an encode returning null sends nothing). */
    @Override
    public SendStatus send(Object data) {
        byte[] encoded = Datagrams.encode(protocol, data, this);
        return encoded == null ? SendStatus.WRITTEN : sendRaw(encoded);
    }

    /** One datagram to the sender; see {@link Datagrams#send} for what is refused. */
    @Override
    public SendStatus sendRaw(byte[] data) {
        return Datagrams.send(channel, sender, false, data, this::failed);
    }

    private SendStatus failed(String why) {
        return WorkerRuntime.current().sendFailed(this, worker.getOnError(), "datagram to " + getRemoteIp() + ":" + getRemotePort()
                + " not sent: " + why);
    }

    @Override
    public void close() {}

    @Override
    public void close(Object data) {
        send(data);
    }

    @Override
    public void destroy() {}

    @Override
    public void pauseRecv() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeRecv() {
        channel.config().setAutoRead(true);
    }

    @Override
    public void pipe(Connection destination) {
        throw new UnsupportedOperationException("a udp:// sender cannot be piped: there is no stream");
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public Connection put(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    @Override
    public <T> T get(String name) {
        return properties.get(name);
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public String getRemoteIp() {
        return IpText.of(sender.getAddress());
    }

    @Override
    public int getRemotePort() {
        return sender.getPort();
    }

    @Override
    public String getLocalIp() {
        return IpText.of(((InetSocketAddress) channel.localAddress()).getAddress());
    }

    @Override
    public int getLocalPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public Worker getWorker() {
        return worker;
    }

    @Override
    public String getProtocol() {
        return worker.getListenAddress().protocol();
    }

    @Override
    public int getMaxSendBufferSize() {
        return 0;
    }

    @Override
    public Connection setMaxSendBufferSize(int bytes) {
        return this;
    }

    @Override
    public int getMaxPackageSize() {
        return 65507;
    }

    @Override
    public Connection setMaxPackageSize(int bytes) {
        return this;
    }

    @Override
    public Connection onMessage(MessageCallback callback) {
        return this;
    }

    @Override
    public Connection onClose(ConnectionCallback callback) {
        return this;
    }

    @Override
    public Connection onBufferFull(ConnectionCallback callback) {
        return this;
    }

    @Override
    public Connection onBufferDrain(ConnectionCallback callback) {
        return this;
    }

    @Override
    public Connection onError(ErrorCallback callback) {
        return this;
    }
}
