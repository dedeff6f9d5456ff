package dev.drover.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.List;

/** Netty's response encoder, giving each final answer that has none the {@link HttpDate} of its loop. */
class DatedResponseEncoder extends HttpResponseEncoder {

    @Override
    protected void encode(ChannelHandlerContext ctx, Object message, List<Object> out) throws Exception {
        if (message instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
                && !response.headers().contains(HttpHeaderNames.DATE)) {
            response.headers().set(HttpHeaderNames.DATE, HttpDate.value(ctx.executor()));
        }
        super.encode(ctx, message, out);
    }
}
