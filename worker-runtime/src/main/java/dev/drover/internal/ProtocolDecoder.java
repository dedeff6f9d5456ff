package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Cuts a stream into packages with {@link Protocol#input} and decodes each. A negative length, or
 * one over the connection's maxPackageSize, is bad input: only this connection is destroyed, and
 * nothing after it is read (the protocol's code is not asked again).
 */
final class ProtocolDecoder extends ByteToMessageDecoder {
    /** Thrown for input the protocol rejects; the connection handler destroys the connection. */
    static final class BadInput extends DecoderException {
        BadInput(String message) {
            super(message);
        }
    }

    /** What stands for a package the protocol decoded to null, on its way to onMessage (see {@link ProtocolCodec#decode}). */
    static final Object NULL = new Object();

    private static final AtomicIntegerFieldUpdater<ProtocolDecoder> HELD = AtomicIntegerFieldUpdater.newUpdater(ProtocolDecoder.class, "held");

    private final Protocol protocol;
    private final Connection connection;
    /** Bytes read that make no whole package yet (see {@link Traffic#held}); stored as Traffic stores its counts. */
    private volatile int held;
    /** A package was refused, or the protocol failed on one: the connection is being destroyed, and nothing more is read. */
    private boolean refused;

    ProtocolDecoder(Protocol protocol, Connection connection) {
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        super.channelRead(ctx, message);
        HELD.lazySet(this, actualReadableBytes());
    }

    int held() {
        return held;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes()); // not read again at the close (decodeLast), nor reported twice
            return;
        }
        try {
            cut(in, out);
        } catch (RuntimeException e) {
            refused = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void cut(ByteBuf in, List<Object> out) {
        int max = connection.getMaxPackageSize();
        while (in.isReadable()) {
            ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes()).asReadOnlyBuffer();
            int length = protocol.input(view, connection);
            if (length == 0) {
                if (in.readableBytes() >= max) {
                    throw new BadInput("no package within maxPackageSize (" + max + " bytes)");
                }
                return;
            }
            if (length < 0 || length > max) {
                throw new BadInput(length < 0 ? "bad package" : "package of " + length + " bytes over maxPackageSize (" + max + ")");
            }
            if (in.readableBytes() < length) {
                return;
            }
            byte[] packet = new byte[length];
            in.readBytes(packet);
            Object message = protocol.decode(packet, connection);
            out.add(message == null ? NULL : message); // Netty's list takes no null; onMessage gets it, as in Workerman
        }
    }

    // The events ByteToMessageDecoder inherits from Netty's adapter, declared here so that the
    // pipeline finds no @Skip to read on them (see ForwardingInbound).

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }
}
