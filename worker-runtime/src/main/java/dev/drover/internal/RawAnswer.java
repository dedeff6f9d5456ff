package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An HTTP answer the application wrote itself ({@code sendRaw}, as Workerman's
 * {@code send($data, true)}): it goes out as it is, and answers the oldest request owed one, as a
 * {@link PlainAnswer} does ({@link HttpServerSide}).
 */
final class RawAnswer extends DefaultByteBufHolder {
    RawAnswer(ByteBuf bytes) {
        super(bytes);
    }
}
