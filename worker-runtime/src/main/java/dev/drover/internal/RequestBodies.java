package dev.drover.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's request aggregator, made safe against request smuggling through {@code Expect}.
 *
 * <p>Netty answers an expectation it cannot meet (417 for one other than 100-continue; 413 for a
 * 100-continue body over the limit) and tells its decoder so, which then reads what follows the
 * head as the next request: the body, which a client may send without waiting (RFC 9110 10.1.1),
 * or which a proxy in front forwards, was run as a request of its own. Here an expectation other
 * than 100-continue is ignored, as nginx and Workerman ignore it (the body is read by its
 * length); a 413 to 100-continue closes the connection, as nginx's does; and the decoders drover
 * uses ({@link RequestDecoder}) do not take the event as a reason to read the body as a request.
 */
class RequestBodies extends HttpObjectAggregator {
    RequestBodies(int maxContentLength) {
        super(maxContentLength, true);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        boolean unsupported = start.headers().contains(HttpHeaderNames.EXPECT) && !HttpUtil.is100ContinueExpected(start);
        return unsupported ? null : super.newContinueResponse(start, maxContentLength, pipeline);
    }
}
