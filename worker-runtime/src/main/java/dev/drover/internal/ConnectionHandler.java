package dev.drover.internal;

import dev.drover.ConnectionCallback;
import dev.drover.Worker;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Calls a Worker's {@code onConnect}, {@code onMessage} and {@code onClose} for one connection.
 * An exception escaping a callback ends the worker (status 250); bad input only ends its own
 * connection.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final WorkerRuntime runtime;
    private final Worker worker;
    private final Protocol protocol;
    private final Traffic traffic;
    private NettyConnection connection;

    ConnectionHandler(WorkerRuntime runtime, Worker worker, Protocol protocol, Traffic traffic) {
        this.runtime = runtime;
        this.worker = worker;
        this.protocol = protocol;
        this.traffic = traffic;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new NettyConnection(ctx.channel(), worker, protocol, runtime.nextConnectionId(), traffic, runtime);
        runtime.opened(worker, connection);
        call("onConnect", worker.getOnConnect());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof DecoderResultProvider provider && !provider.decoderResult().isSuccess()) {
                rejectBadInput(ctx);
                return;
            }
            Object data = protocol.decode(message);
            if (protocol == Protocol.HTTP) {
                connection.requestArrived();
            }
            runtime.requestArrived();
            if (worker.getOnMessage() != null) {
                runtime.busy(true);
                try {
                    worker.getOnMessage().call(connection, data);
                } catch (Throwable e) {
                    runtime.callbackFailed("onMessage", worker, e);
                } finally {
                    runtime.busy(false);
                }
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void rejectBadInput(ChannelHandlerContext ctx) {
        if (protocol == Protocol.HTTP) {
            ctx.writeAndFlush(Protocol.badRequest(ctx.alloc(), HttpResponseStatus.BAD_REQUEST)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            runtime.closed(worker, connection);
            call("onClose", worker.getOnClose());
        }
        ctx.fireChannelInactive();
    }

    private void call(String name, ConnectionCallback callback) {
        if (callback != null) {
            runtime.busy(true);
            try {
                callback.call(connection);
            } catch (Throwable e) {
                runtime.callbackFailed(name, worker, e);
            } finally {
                runtime.busy(false);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, oversized packages, undecodable bytes: the peer's problem, not the worker's.
        ctx.close();
    }
}
