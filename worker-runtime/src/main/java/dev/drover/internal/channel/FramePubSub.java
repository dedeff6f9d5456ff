package dev.drover.internal.channel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The embedded backend's publish/subscribe side: one {@code frame://} connection to the
 * ChannelServer on the worker's own event loop (no thread of its own). A lost connection is dialled
 * again at once (a second later when it never answered or lasted less than a second: a server that accepts and closes),
 * then every second; on connect it subscribes to every event again before anything else.
 *
 * <p>It is connected once the server answered, not once the TCP connection is up: across a
 * server's restart the master keeps its socket listening, so a connection is accepted into the
 * backlog a second before a server reads it. Until then what is published here waits in
 * ChannelClient's queue, and goes out after the server has read this worker's subscriptions, and
 * those of the others that waited with it; onConnect runs then. The question is a GlobalData
 * {@code get} that any server version answers.
 */
final class FramePubSub implements PubSub {
    static final int MAX_FRAME = 64 << 20;

    private final ServerAddress address;
    private final EventLoopGroup loop;
    private final Listener listener;
    private final Set<String> events = new LinkedHashSet<>();
    private Channel channel;
    /** The server answered on {@link #channel}. */
    private boolean answered;
    /** The key the readiness question reads: nothing of the application's. */
    private static final String QUESTION_KEY = "drover.channel.connected";

    FramePubSub(ServerAddress address, EventLoopGroup loop, Listener listener) {
        this.address = address;
        this.loop = loop;
        this.listener = listener;
    }

    @Override
    public void start() {
        KeepAlive.on(new Bootstrap()).group(loop).channelFactory(EpollSocketChannel::new)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // Publishes made while handling one read batch go out in one write.
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true),
                                new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, -4, 4), new Inbound());
                    }
                })
                .connect(address.host(), address.port())
                .addListener(done -> {
                    if (done.isSuccess()) {
                        opened(((io.netty.channel.ChannelFuture) done).channel());
                    } else {
                        Throwable cause = done.cause();
                        lost(dev.drover.internal.Dialer.reason(cause)); // Connection refused (111): nothing listens there
                    }
                });
    }

    private void opened(Channel ch) {
        channel = ch;
        answered = false;
        long openedAt = System.nanoTime();
        // Hold publishes in ChannelClient's bounded queue once 1 MiB waits in the socket's buffer.
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512 << 10, 1 << 20));
        if (!events.isEmpty()) {
            send(ChannelWire.encode(ChannelWire.SUBSCRIBE, new ArrayList<>(events)));
        }
        send(ChannelWire.encode(StoreOp.GET.wire, QUESTION_KEY)); // its answer says the server reads (Inbound)
        ch.closeFuture().addListener(closed -> {
            if (channel == ch) {
                channel = null;
                listener.disconnected(answered ? "the server closed the connection" : "the server closed the connection before it answered");
                // The master keeps the server's socket listening across its restarts: dial at once after one that served
                // a while; a second later after one that never answered or closed soon (something that accepts and closes),
                // so that it is not dialled in a loop.
                redial(answered && System.nanoTime() - openedAt >= 1_000_000_000L ? 0 : 1000);
            }
        });
    }

    private void lost(String cause) {
        channel = null;
        listener.disconnected(cause);
        redial(1000);
    }

    private void redial(long millis) {
        if (!loop.isShuttingDown()) {
            loop.schedule(this::start, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Answered, and taking more: a full buffer (a server that does not read) counts as down. */
    @Override
    public boolean isConnected() {
        return answered && isOpen() && channel.isWritable();
    }

    /** Sent at once on an open connection, full buffer or not; otherwise with the rest on connect. */
    @Override
    public void subscribe(String event) {
        if (events.add(event) && isOpen()) {
            send(ChannelWire.encode(ChannelWire.SUBSCRIBE, event));
        }
    }

    @Override
    public void unsubscribe(String event) {
        if (events.remove(event) && isOpen()) {
            send(ChannelWire.encode(ChannelWire.UNSUBSCRIBE, event));
        }
    }

    private boolean isOpen() {
        return channel != null && channel.isActive();
    }

    @Override
    public void publish(String event, String data) {
        send(ChannelWire.encode(ChannelWire.PUBLISH, event, data));
    }

    /** Writes one message; subscriptions go out even over the water mark: they are small and must not wait. */
    private void send(byte[] body) {
        ByteBuf header = Unpooled.buffer(4).writeInt(body.length + 4);
        channel.writeAndFlush(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(body)));
    }

    private final class Inbound extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] body = ByteBufUtil.getBytes(frame);
            if (ChannelWire.type(body) == ChannelWire.EVENT) {
                List<String> fields = ChannelWire.fields(body);
                listener.event(fields.get(0), fields.get(1));
            } else if (!answered && ctx.channel() == channel) { // the answer to the question opened() asked
                answered = true;
                listener.connected();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                listener.writable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
