package dev.drover.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A listening channel's handler: gives each accepted connection its handlers, then registers it
 * with the loop. It does for drover's servers what Netty's {@code ServerBootstrap} does, without
 * its two handlers, which are Netty adapters whose annotations cost a new worker's start ~20 ms
 * (see {@link ForwardingInbound}), and without Netty's opt-in {@code ChannelInitializerExtension}s.
 */
final class Acceptor extends ForwardingInbound {
    /** How long a listener stops accepting after an accept failed (out of descriptors, say): Netty's own pause. */
    private static final long PAUSE_SECONDS = 1;

    private final EventLoopGroup loop;
    private final Consumer<Channel> install;
    private final AcceptBalance balance;
    /** Counts a connection out of the balance when it closes. */
    private final ChannelFutureListener closed;
    /** The application paused accepting (Worker.pauseAccept): neither the balance nor a failed accept's pause resumes it. */
    private boolean paused;

    /** @param install puts an accepted connection's handlers in its pipeline, before it is registered */
    private Acceptor(EventLoopGroup loop, Consumer<Channel> install, AcceptBalance balance) {
        this.loop = loop;
        this.install = install;
        this.balance = balance;
        this.closed = done -> balance.closed();
    }

    /**
     * Registers {@code server} with {@code loop}, accepting {@link AcceptBatch#SIZE} connections per
     * wake-up at most, fewer when {@code balance} leaves them to a sibling worker on the same socket.
     */
    static ChannelFuture register(ServerChannel server, EventLoopGroup loop, Consumer<Channel> install, AcceptBalance balance) {
        server.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, AcceptBatch.allocator(balance));
        server.pipeline().addLast(new Acceptor(loop, install, balance));
        ChannelFuture registered = loop.register(server);
        registered.addListener(done -> {
            if (!done.isSuccess()) {
                server.unsafe().closeForcibly();
            }
        });
        return registered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Channel child = (Channel) message;
        try {
            install.accept(child);
            loop.register(child).addListener(done -> {
                if (done.isSuccess()) {
                    balance.opened();
                    child.closeFuture().addListener(closed);
                } else {
                    child.unsafe().closeForcibly();
                }
            });
        } catch (RuntimeException e) {
            child.unsafe().closeForcibly();
            ctx.fireExceptionCaught(e);
        }
    }

    /**
     * A wake-up that left connections to a sibling: stop accepting (not even the one accept each
     * wake-up makes) until the sibling caught up or stopped taking them.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ChannelConfig config = ctx.channel().config();
        if (balance.yielded() && config.isAutoRead()) {
            config.setAutoRead(false);
            resumeLater(ctx.channel());
        }
        ctx.fireChannelReadComplete();
    }

    private void resumeLater(Channel server) {
        server.eventLoop().schedule(() -> {
            if (!server.isOpen()) {
                return;
            }
            if (paused) {
                return; // resumeAccept resumes it
            }
            if (balance.mayResume()) {
                server.config().setAutoRead(true);
            } else {
                resumeLater(server);
            }
        }, AcceptBalance.YIELD_NANOS, TimeUnit.NANOSECONDS);
    }

    /** An accept failed: stop accepting for a second, so the loop does not spin on it, and let the pipeline log it. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelConfig config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(!paused), PAUSE_SECONDS, TimeUnit.SECONDS);
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * The application's pause or resume of {@code server}'s accepts, on its loop: new connections
     * wait in the listening socket's queue, or go to a sibling worker sharing it, until it resumes.
     */
    static void pause(Channel server, boolean pause) {
        Acceptor acceptor = server.pipeline().get(Acceptor.class);
        if (acceptor != null && acceptor.paused != pause) {
            acceptor.paused = pause;
            server.config().setAutoRead(!pause);
        }
    }
}
