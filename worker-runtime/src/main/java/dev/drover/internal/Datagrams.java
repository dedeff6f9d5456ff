package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.Protocol;
import dev.drover.SendStatus;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/** Sending and reading datagrams, for a {@code udp://} worker's senders and for {@code AsyncUdpConnection}. */
public final class Datagrams {
    /** Reads a datagram whole: a UDP payload's bound, as Workerman reads up to 65535 bytes (Netty's default cuts at 2048). */
    static final FixedRecvByteBufAllocator WHOLE = new FixedRecvByteBufAllocator(65536);

    private Datagrams() {}

    /**
     * Cuts datagram {@code data} into packages with {@code protocol}'s {@code input} and gives each
     * one decoded to {@code each}, as Workerman's udp worker does: a rest that makes no whole
     * package, or whose length the protocol refuses (negative, past the datagram's end), is
     * dropped; a datagram ends what it carries.
     */
    static void packages(Protocol protocol, byte[] data, Connection connection, Consumer<Object> each) {
        int start = 0;
        while (start < data.length) {
            int length = protocol.input(ByteBuffer.wrap(data, start, data.length - start).slice().asReadOnlyBuffer(), connection);
            if (length <= 0 || length > data.length - start) {
                return;
            }
            each.accept(protocol.decode(Arrays.copyOfRange(data, start, start + length), connection));
            start += length;
        }
    }

    /**
     * The datagram {@code data} makes: its protocol's encode of it (null: nothing is sent, as
     * Workerman writes nothing for it), or, for udp://, a String's UTF-8 or the bytes as they are.
     */
    public static byte[] encode(Protocol protocol, Object data, Connection connection) {
        return protocol == null ? Codec.bytesOf(Codec.orEmpty(data)) : protocol.encode(Codec.orEmpty(data), connection);
    }

    /** What {@code packet} carries; the packet is released. */
    static byte[] take(DatagramPacket packet) {
        try {
            return ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
        }
    }

    /**
     * Sends {@code data} as one datagram to {@code peer} on {@code channel}, which is connected to
     * it when {@code connected}. One over what a datagram holds (65,507 bytes over IPv4, 65,527
     * over IPv6), or an empty one (Netty's transport skips those), is refused: {@code failed} is
     * given why and answers what send returns; so is a datagram the kernel refuses later, and one
     * sent while the datagrams the kernel could not take yet fill the socket's own buffer (Netty's
     * high water mark, 64 KiB), which held any number of them.
     */
    static SendStatus send(Channel channel, InetSocketAddress peer, boolean connected, byte[] data, Function<String, SendStatus> failed) {
        if (!channel.isActive()) {
            return failed.apply("the udp socket is closed");
        }
        if (!channel.isWritable()) { // the kernel's buffer was full and 64 KiB wait in the socket's own: a datagram may be lost, memory not
            return failed.apply("the socket's send buffer is full");
        }
        int max = peer.getAddress() instanceof Inet6Address ? 65527 : 65507;
        if (data.length > max || data.length == 0) {
            return failed.apply(data.length == 0 ? "an empty datagram is not sent" : "a datagram holds at most " + max + " bytes, not " + data.length);
        }
        Object message = connected ? Codec.buffer(channel.alloc(), data) : new DatagramPacket(Codec.buffer(channel.alloc(), data), peer);
        ChannelFuture sent = channel.writeAndFlush(message);
        if (sent.isDone()) {
            return sent.isSuccess() ? SendStatus.WRITTEN : failed.apply(String.valueOf(sent.cause().getMessage()));
        }
        sent.addListener(done -> {
            if (!done.isSuccess()) {
                failed.apply(String.valueOf(done.cause().getMessage()));
            }
        });
        return SendStatus.QUEUED;
    }
}
