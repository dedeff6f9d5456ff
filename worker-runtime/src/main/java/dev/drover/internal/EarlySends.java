package dev.drover.internal;

import dev.drover.WebSocketClose;
import dev.drover.WebSocketPing;
import dev.drover.WebSocketPong;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What an application sent on a websocket:// connection before its 101, to go out right behind it,
 * as Workerman's tmpWebsocketData: kept as it was sent (bytes are copied, a type that cannot be
 * sent is refused now, in the caller), and bounded as Workerman bounds it: once more than
 * maxSendBufferSize bytes wait, the next send is dropped.
 */
final class EarlySends {
    /** Bytes for {@code sendRaw}: written as they are, not as a frame. */
    record Raw(byte[] bytes) {}

    private final ArrayDeque<Object> sends = new ArrayDeque<>();
    private long bytes;
    private boolean closes;

    /**
     * Keeps {@code data} (a String, bytes, a {@link WebSocketClose}, a ping or pong, {@link Raw}); false, keeping
     * nothing, when more than {@code max} bytes already wait.
     *
     * @throws IllegalArgumentException for what no send takes (null, another type)
     */
    boolean add(Object data, int max) {
        if (bytes > max) {
            return false;
        }
        Object kept = data instanceof String || data instanceof WebSocketClose || data instanceof WebSocketPing || data instanceof WebSocketPong ? data
                : data instanceof Raw raw ? new Raw(raw.bytes().clone()) : Codec.bytesOf(data).clone();
        bytes += kept instanceof String text ? ByteBufUtil.utf8Bytes(text) : kept instanceof byte[] payload ? payload.length
                : kept instanceof Raw raw ? raw.bytes().length : 0;
        sends.add(kept);
        closes |= kept instanceof WebSocketClose;
        return true;
    }

    /** Whether a {@link WebSocketClose} is among them: nothing may follow it. */
    boolean closes() {
        return closes;
    }

    /** The bytes waiting. */
    long bytes() {
        return bytes;
    }

    /** Hands each to {@code write}, in the order sent. */
    void forEach(Consumer<Object> write) {
        sends.forEach(write);
    }
}
