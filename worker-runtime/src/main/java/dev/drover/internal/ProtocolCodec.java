package dev.drover.internal;

import dev.drover.Protocol;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;

/** A Workerman-contract {@link Protocol} (text, frame, or the application's own) on a stream. */
final class ProtocolCodec implements Codec {
    private final String name;
    private final Protocol protocol;

    ProtocolCodec(String name, Protocol protocol) {
        this.name = name;
        this.protocol = protocol;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void install(ChannelPipeline pipeline, dev.drover.Connection connection) {
        pipeline.addLast(new ProtocolDecoder(protocol, applications(connection)));
    }

    @Override
    public Object decode(Object message, dev.drover.Connection connection) {
        return message == ProtocolDecoder.NULL ? null : message; // ProtocolDecoder already ran protocol.decode
    }

    /** An encode that returns null sends nothing, as Workerman writes nothing for it. */
    @Override
    public Object encode(Object data, ByteBufAllocator alloc, dev.drover.Connection connection) {
        byte[] bytes = protocol.encode(data, applications(connection));
        return Codec.buffer(alloc, bytes == null ? new byte[0] : bytes);
    }

    /** The connection as the application knows it: an outgoing one's AsyncTcpConnection, with what it put on it. */
    private static dev.drover.Connection applications(dev.drover.Connection connection) {
        return connection instanceof NettyConnection own ? own.facade() : connection;
    }
}
