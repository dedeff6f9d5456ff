package dev.drover.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpExpectationFailedEvent;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with drover's limits ({@link HttpServerSide#decoderConfig}), for requests
 * and WebSocket handshakes alike, which goes on reading after a failed expectation: Netty's starts
 * over there, and reads what follows the head, the body, as the next request ({@link RequestBodies}).
 */
class RequestDecoder extends HttpRequestDecoder {
    RequestDecoder() {
        super(HttpServerSide.decoderConfig());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof HttpExpectationFailedEvent) {
            ctx.fireUserEventTriggered(event);
        } else {
            super.userEventTriggered(ctx, event);
        }
    }
}
