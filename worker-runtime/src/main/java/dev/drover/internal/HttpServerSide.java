package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.IntSupplier;

/**
 * The server side of an {@code http://} connection: Netty's request decoder in, and out the answers
 * in the order the requests came, each one knowing whether its request was HEAD and whether the
 * connection closes after it. In place of Netty's HttpServerCodec and HttpServerKeepAliveHandler,
 * whose rules it keeps (a request that is not keep-alive, an answer that says close or has no
 * length of its own, closes the connection once written; an HTTP/1.0 request that asked to keep it
 * gets {@code Connection: keep-alive} in its answer; HEAD gets the head only; at most
 * {@link #MAX_PIPELINE_DEPTH} requests wait for answers), so that a {@link PlainAnswer} goes out as
 * one buffer written here, without a Netty response object, its header map and its encoder.
 * It is the connection's {@link Traffic} too: a request and its answer pass one handler between the
 * socket and the callbacks, where the traffic's, Netty's combined handler and its two inner contexts
 * were four hops, and a connection holds four objects fewer (PERFORMANCE.md, "Where the CPU goes").
 * Its decoder and encoder use its own context, as they would in a pipeline of their own: what the
 * decoder reads goes to the next handler, what the encoder writes to the socket's side, counted.
 */
final class HttpServerSide extends Traffic {
    /**
     * The longest request line and header section read, as Workerman's 16 KiB head: a long query
     * string or a site's many cookies that Workerman took are taken (Netty's defaults, 4 and 8 KiB,
     * refused them with 414 and 431).
     */
    static final int MAX_REQUEST_LINE = 16 * 1024;
    static final int MAX_HEADERS = 16 * 1024;

    private static final ByteBuf HEAD_END = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}));

    /** Requests read ahead of their answers, as HttpServerCodec allows. */
    static final int MAX_PIPELINE_DEPTH = 128;

    /** Netty's request decoder's settings with drover's limits, for requests and WebSocket handshakes alike. */
    static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig().setMaxInitialLineLength(MAX_REQUEST_LINE).setMaxHeaderSize(MAX_HEADERS)
                .setHeadersFactory(OneLengthHeaders.FACTORY);
    }

    private static final byte HEAD = 1;
    private static final byte CLOSE = 2;
    /** An HTTP/1.0 request that asked to keep the connection: its answer must say it keeps it, or the client closes. */
    private static final byte SAY_KEEP_ALIVE = 4;
    /** An HTTP/1.0 request: no chunked answer (RFC 9112 6.1), its body ends with the connection instead. */
    private static final byte HTTP10 = 8;

    /** One flag byte per request still owed an answer, oldest first (a ring). */
    private byte[] owed = new byte[8];
    private int first;
    private int count;

    private static final AtomicIntegerFieldUpdater<HttpServerSide> HELD = AtomicIntegerFieldUpdater.newUpdater(HttpServerSide.class, "held");

    /** The connection's maxPackageSize, for the aggregator of requests with a body. */
    private final IntSupplier maxPackageSize;
    private final Requests requests = new Requests();
    private final Answers answers = new Answers();
    /** The aggregator behind Netty's decoder, once there is one. */
    private Bodies bodies;
    private volatile int held;

    HttpServerSide(FlushBatch batch, IntSupplier maxPackageSize) {
        super(batch);
        this.maxPackageSize = maxPackageSize;
    }

    @Override
    void passRead(ChannelHandlerContext ctx, Object message) throws Exception {
        requests.channelRead(ctx, message);
        HELD.lazySet(this, requests.buffered() + (bodies == null ? 0 : bodies.bodyBytes));
    }

    /** A head not all here yet, and the part of a body read so far. */
    @Override
    long held() {
        return held;
    }

    /** Whether a request's head was read and its body is still arriving (asked by the request timeouts' sweep, not per request). */
    boolean readingBody() {
        return requests.inBody || requests.headWhole();
    }

    @Override
    void passReadComplete(ChannelHandlerContext ctx) throws Exception {
        requests.channelReadComplete(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        answers.write(ctx, message, promise);
    }

    /** A request cut short by the close reaches the decoder's end: it fails, or ends a body read to the close. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        requests.channelInactive(ctx);
    }

    /** The peer's half close is the decoder's to see, as the close is. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        requests.userEventTriggered(ctx, event);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        super.handlerRemoved(ctx);
        requests.handlerRemoved(ctx);
    }

    /** Notes an answer owed to a request (HEAD or not, keep-alive or not, HTTP/1.0 or not); false past the pipeline depth. */
    private boolean owe(boolean head, boolean keepAlive, boolean http10) {
        if (count == MAX_PIPELINE_DEPTH) {
            return false;
        }
        if (count == owed.length) {
            byte[] larger = new byte[owed.length * 2];
            for (int i = 0; i < count; i++) {
                larger[i] = owed[(first + i) % owed.length];
            }
            owed = larger;
            first = 0;
        }
        owed[(first + count++) % owed.length] = (byte) ((head ? HEAD : 0) | (keepAlive ? (http10 ? SAY_KEEP_ALIVE : 0) : CLOSE)
                | (http10 ? HTTP10 : 0));
        return true;
    }

    /** The flags of the request the next answer is for; none when more answers come than requests did. */
    private byte answered() {
        if (count == 0) {
            return 0;
        }
        byte flags = owed[first];
        first = (first + 1) % owed.length;
        count--;
        return flags;
    }

    /**
     * Reads each request, noting the answer it is owed: the common ones itself ({@link PlainRequest},
     * whenever Netty's decoder is between messages), the rest through Netty's decoder. Past the
     * pipeline depth the rest is dropped and the connection closes. Nothing after a request that
     * closes the connection, or after an answer that does, is read (RFC 9112 9.6); nor after a
     * head {@link RequestHeadRules} refuses.
     */
    final class Requests extends RequestDecoder {
        private boolean discard;
        /** Netty's decoder is reading a request that closes the connection: what follows its end is dropped. */
        private boolean lastRequest;
        /** Netty's decoder has begun a message it has not ended yet: what follows is its to read. */
        private boolean nettyMidMessage;
        /** The handlers behind Netty's decoder are in the pipeline. */
        private boolean nettysHandlers;
        /** Netty's decoder read a request's head and not yet the end of its body. */
        private boolean inBody;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            if (!nettyMidMessage) {
                Object plain = PlainRequest.read(buffer, maxPackageSize.getAsInt());
                if (plain == null) {
                    return; // the head is not all here yet
                }
                if (plain instanceof PlainRequest request) {
                    out.add(request.request());
                    if (!owe(request.head(), request.keepAlive(), request.http10())) {
                        tooDeep(ctx, out, out.size() - 1);
                    }
                    discard = !request.keepAlive(); // what follows a request that closes the connection is not read
                    return;
                }
            }
            if (!nettysHandlers) {
                addNettysHandlers(ctx);
            }
            int before = out.size();
            super.decode(ctx, buffer, out);
            nettyMidMessage = out.size() == before || !(out.get(out.size() - 1) instanceof LastHttpContent);
            for (int i = before; i < out.size(); i++) {
                Object decoded = out.get(i);
                if (decoded instanceof HttpRequest || decoded instanceof LastHttpContent) {
                    inBody = !(decoded instanceof LastHttpContent); // a FullHttpRequest is whole
                }
                if (out.get(i) instanceof HttpRequest request) {
                    boolean refused = request.decoderResult().isSuccess() && RequestHeadRules.refuse(request);
                    if (!owe(HttpMethod.HEAD.equals(request.method()), !refused && HttpUtil.isKeepAlive(request),
                            !request.protocolVersion().isKeepAliveDefault())) {
                        tooDeep(ctx, out, i);
                    }
                    lastRequest = !HttpUtil.isKeepAlive(request);
                    if (refused) { // answered 400 or 505 (HttpCodec.badRequest), as the decoder's own refusals are
                        discardAfter(out, i + 1);
                        buffer.skipBytes(buffer.readableBytes());
                        return;
                    }
                }
                if (lastRequest && out.get(i) instanceof LastHttpContent
                        || decoded instanceof DecoderResultProvider provider && provider.decoderResult().isFailure()) {
                    // A request that closes the connection, or one the decoder failed on (answered 400 and closed): its
                    // decoder may read on from where it stopped (a bad chunk's), and what follows is no request to answer.
                    discardAfter(out, i + 1);
                    buffer.skipBytes(buffer.readableBytes());
                    return;
                }
            }
        }

        /** Drops what was decoded from {@code from} on, and what comes later. */
        private void discardAfter(List<Object> out, int from) {
            discard = true;
            for (int j = from; j < out.size(); j++) {
                ReferenceCountUtil.release(out.get(j));
            }
            out.subList(from, out.size()).clear();
        }

        /**
         * What Netty's decoder sends on needs joining: its head and empty end made one request
         * ({@link BodilessRequests}), a body aggregated up to maxPackageSize. A connection whose
         * requests drover reads itself never needs them, and each would be two more hops for every request.
         */
        private void addNettysHandlers(ChannelHandlerContext ctx) {
            nettysHandlers = true;
            BodilessRequests bodiless = new BodilessRequests();
            ctx.pipeline().addAfter(ctx.name(), null, bodiless);
            bodies = new Bodies(maxPackageSize.getAsInt());
            ctx.pipeline().addAfter(ctx.pipeline().context(bodiless).name(), null, bodies);
        }

        int buffered() {
            return actualReadableBytes();
        }

        /** Whether what waits here holds a whole head: a body drover reads itself (PlainRequest) is still arriving. */
        boolean headWhole() {
            ByteBuf waiting = internalBuffer();
            return !nettyMidMessage && waiting.isReadable() && ByteBufUtil.indexOf(HEAD_END, waiting) >= 0;
        }

        private void tooDeep(ChannelHandlerContext ctx, List<Object> out, int from) {
            discardAfter(out, from);
            HttpServerSide.this.close(ctx, ctx.newPromise()); // as the traffic: what the batch answered goes out first
            throw new IllegalStateException("more than " + MAX_PIPELINE_DEPTH + " requests without answers");
        }
    }

    /**
     * The aggregator ({@link RequestBodies}), counting the body it holds until the request is whole.
     * Behind answers still owed, what Netty's aggregator writes at once would go out before them,
     * each taken for the answer to an earlier request: a 100 Continue is not sent (the client
     * sends its body after its own wait, RFC 9110 10.1.1), and a body over maxPackageSize becomes
     * a refused request, answered 413 in its turn ({@link ConnectionHandler}), nothing after it read.
     */
    private final class Bodies extends RequestBodies {
        private int bodyBytes;

        Bodies(int maxContentLength) {
            super(maxContentLength);
        }

        /** Whether a request before the one being read is still owed its answer. */
        private boolean behindAnswers() {
            return count > 1;
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            return behindAnswers() ? null : super.newContinueResponse(start, maxContentLength, pipeline);
        }

        @Override
        protected void aggregate(FullHttpMessage aggregated, HttpContent content) throws Exception {
            super.aggregate(aggregated, content);
            bodyBytes = aggregated.content().readableBytes();
        }

        @Override
        protected void finishAggregation(FullHttpMessage aggregated) throws Exception {
            bodyBytes = 0;
            super.finishAggregation(aggregated);
        }

        /** A body over maxPackageSize is answered 413 and dropped: none of it is held any more. */
        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            bodyBytes = 0;
            if (!behindAnswers() || !(oversized instanceof HttpRequest request)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            requests.discard = true;
            FullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(), Unpooled.EMPTY_BUFFER);
            refused.setDecoderResult(DecoderResult.failure(new RequestHeadRules.Refused(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "a body over maxPackageSize (" + maxContentLength() + " bytes)")));
            ctx.fireChannelRead(refused);
        }
    }

    /** Writes each answer for the oldest request owed one: a PlainAnswer itself, Netty's responses through its encoder. */
    final class Answers extends DatedResponseEncoder {
        /** The answer being encoded is for a HEAD request. */
        private boolean headRequest;
        /** The answer being streamed closes the connection at its end. */
        private boolean closeAtEnd;
        /** A streamed answer's head went out and its end did not yet. */
        private boolean streaming;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof PlainAnswer || msg instanceof RawAnswer) {
                if (streaming) {
                    ReferenceCountUtil.release(msg);
                    promise.setFailure(new IllegalStateException("an answer is still streaming: end it with an empty Chunk first"));
                    return;
                }
                byte flags = answered();
                boolean close = (flags & CLOSE) != 0 || msg instanceof PlainAnswer answer && answer.closes();
                requests.discard |= close;
                Object bytes = msg instanceof PlainAnswer answer
                        ? answer.encode((flags & HEAD) != 0, close, (flags & SAY_KEEP_ALIVE) != 0, HttpDate.line(ctx.executor()))
                        : ((RawAnswer) msg).content(); // as the application wrote it: its head says what it says
                ctx.write(written(bytes), close ? promise.unvoid().addListener(ChannelFutureListener.CLOSE) : promise);
                return;
            }
            if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                byte flags = answered();
                headRequest = (flags & HEAD) != 0;
                if ((flags & HTTP10) != 0 && HttpUtil.isTransferEncodingChunked(response)) {
                    HttpUtil.setTransferEncodingChunked(response, false); // the chunks' data alone, to the close
                }
                closeAtEnd = (flags & CLOSE) != 0 || !HttpUtil.isKeepAlive(response) || !hasOwnLength(response);
                requests.discard |= closeAtEnd;
                if (closeAtEnd) {
                    HttpUtil.setKeepAlive(response, false);
                } else if ((flags & SAY_KEEP_ALIVE) != 0) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
            }
            if (msg instanceof HttpResponse) {
                streaming = !(msg instanceof LastHttpContent);
            } else if (msg instanceof LastHttpContent) {
                streaming = false;
            }
            if (msg instanceof LastHttpContent && closeAtEnd) {
                closeAtEnd = false;
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            if (!acceptOutboundMessage(msg)) {
                ctx.write(written(msg), promise); // not the encoder's to encode (nor to count)
                return;
            }
            super.write(ctx, msg, promise);
        }

        /** Counts what Netty's encoder makes of {@code message}. */
        @Override
        protected void encode(ChannelHandlerContext ctx, Object message, List<Object> out) throws Exception {
            int before = out.size();
            super.encode(ctx, message, out);
            for (int i = before; i < out.size(); i++) {
                written(out.get(i));
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            return headRequest || super.isContentAlwaysEmpty(msg);
        }

        /** Whether the client can tell where the answer ends without the connection closing (as HttpServerKeepAliveHandler judges). */
        private static boolean hasOwnLength(HttpResponse response) {
            String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
            return HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                    || type != null && type.regionMatches(true, 0, "multipart", 0, "multipart".length())
                    || response.status().code() == HttpResponseStatus.NO_CONTENT.code()
                    || response.status().code() == HttpResponseStatus.NOT_MODIFIED.code(); // never a body (RFC 9110 15.4.5)
        }
    }
}
