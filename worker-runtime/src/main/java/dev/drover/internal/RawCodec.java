package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelPipeline;

/** {@code tcp://}: raw bytes; each read is one {@code byte[]} message. */
final class RawCodec implements Codec {
    static final RawCodec INSTANCE = new RawCodec();

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public void install(ChannelPipeline pipeline, dev.drover.Connection connection) {}

    @Override
    public Object decode(Object message, dev.drover.Connection connection) {
        return ByteBufUtil.getBytes((ByteBuf) message);
    }

    @Override
    public Object encode(Object data, ByteBufAllocator alloc, dev.drover.Connection connection) {
        return Codec.buffer(alloc, Codec.bytesOf(data));
    }
}
