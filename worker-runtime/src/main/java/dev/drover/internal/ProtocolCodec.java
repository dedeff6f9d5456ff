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
        pipeline.addLast(new ProtocolDecoder(protocol, connection));
    }

    @Override
    public Object decode(Object message, dev.drover.Connection connection) {
        return message; // ProtocolDecoder already ran protocol.decode
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, dev.drover.Connection connection) {
        return Codec.buffer(alloc, protocol.encode(data, connection));
    }
}
