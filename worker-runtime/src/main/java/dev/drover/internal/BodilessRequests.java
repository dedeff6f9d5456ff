package dev.drover.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.util.ReferenceCountUtil;

/**
 * Most requests (GET, HEAD, DELETE) have no body: the decoder's head and empty last content become
 * one {@link FullHttpRequest} here, without the aggregator's composite buffer; requests with a body
 * (or a broken head) go on to the aggregator as they came.
 */
final class BodilessRequests extends ForwardingInbound {
    private HttpRequest pending;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (pending == null && message instanceof HttpRequest request && !(message instanceof FullHttpRequest)
                && request.decoderResult().isSuccess() && bodiless(request)) {
            pending = request;
            return;
        }
        if (pending != null && message instanceof LastHttpContent last && !last.content().isReadable()
                && last.decoderResult().isSuccess() && last.trailingHeaders().isEmpty()) {
            HttpRequest head = pending;
            pending = null;
            ReferenceCountUtil.release(last);
            ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(), Unpooled.EMPTY_BUFFER,
                    head.headers(), EmptyHttpHeaders.INSTANCE));
            return;
        }
        if (pending != null) { // not what a bodiless request ends with: let the aggregator see both as they came
            HttpRequest head = pending;
            pending = null;
            ctx.fireChannelRead(head);
        }
        ctx.fireChannelRead(message);
    }

    private static boolean bodiless(HttpRequest request) {
        return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0
                && !request.headers().contains(HttpHeaderNames.EXPECT);
    }
}
