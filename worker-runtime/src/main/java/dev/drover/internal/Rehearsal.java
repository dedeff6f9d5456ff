package dev.drover.internal;

import dev.drover.Worker;
import dev.drover.http.Request;
import dev.drover.http.Response;
import dev.drover.master.ListenAddress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the worker that records its command's class list ({@code DROVER_RECORDING}) does before it
 * is ready: one exchange in its protocol with itself, over a throwaway listener on 127.0.0.1 that
 * answers without the application's callbacks. The master dumps the class archive when that worker
 * is ready, so the classes a connection's first message needs (the epoll socket channel, the
 * protocol's decoder and encoder, the pooled buffers: some 230 for HTTP) land in the archive too;
 * without this they did only when a request happened to arrive before the dump, and every worker
 * started from an archive without them spent ~200 ms reading them from the jars on its first
 * request.
 */
final class Rehearsal {
    private static final int TIMEOUT_MILLIS = 5000;

    /** The bytes a client sends and when it has the whole answer. */
    private record Exchange(String request, Predicate<String> answered) {}

    private Rehearsal() {}

    /** Whether a worker listening on {@code address} rehearses: not on Unix sockets or UDP. */
    static boolean applies(ListenAddress address) {
        return !address.isUnix() && !address.isUdp();
    }

    /** A Worker of {@code protocol} on a kernel-chosen loopback port that answers every message without application code. */
    static Worker listener(String protocol) {
        Worker stand = new Worker(protocol + "://127.0.0.1:0");
        stand.setName("rehearsal");
        stand.onMessage((connection, data) -> connection.send(protocol.equals("http") ? httpAnswer((Request) data) : data));
        return stand;
    }

    /** An answer each of the ways HTTP answers go out: text and a Response as drover writes them, a 204 through Netty's encoder. */
    private static Object httpAnswer(Request request) {
        return switch (request.method()) {
            case "GET" -> "";
            case "POST" -> new Response(200).header("Content-Type", "text/plain");
            default -> new Response(204);
        };
    }

    /**
     * The client side, a channel on the worker's own loop like those it accepts (a client of the
     * JDK's, {@code java.net.Socket} and its ~40 classes, went into every worker's archive: 0.4 MB of
     * it): connects to {@code port}, sends one message of {@code protocol}, reads the answer,
     * closes, then runs {@code then} on the loop. A failure only means fewer classes in the archive.
     */
    static void client(EventLoop loop, String protocol, int port, Runnable then) {
        Exchange exchange = exchange(protocol);
        EpollSocketChannel channel = new EpollSocketChannel();
        channel.pipeline().addLast(new Answer(exchange));
        Future<?> timeout = loop.schedule((Runnable) channel::close, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> {
            timeout.cancel(false);
            then.run();
        });
        loop.register(channel).addListener(registered -> {
            if (registered.isSuccess()) {
                channel.connect(new InetSocketAddress("127.0.0.1", port)).addListener(connected -> {
                    if (!connected.isSuccess() || exchange == null) {
                        channel.close();
                    } else {
                        byte[] request = exchange.request().getBytes(StandardCharsets.ISO_8859_1);
                        channel.writeAndFlush(channel.alloc().buffer(request.length).writeBytes(request))
                                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                    }
                });
            }
        });
    }

    /** Reads the client's answer until it is whole, then closes; a connection closed or failing first ends the exchange too. */
    private static final class Answer extends ForwardingInbound {
        private final Exchange exchange;
        private final StringBuilder received = new StringBuilder();

        Answer(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            received.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
            if (exchange != null && exchange.answered().test(received.toString())) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** How many times {@code part} occurs in {@code text}, without overlaps (String.split would take a pattern to every worker's archive). */
    static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    /** One message and its answer in {@code protocol}; null for an application's own protocol (connect and close only). */
    private static Exchange exchange(String protocol) {
        return switch (protocol) {
            // A GET and a POST (drover reads them: PlainRequest) and a PATCH (Netty's decoder and aggregator do); three empty answers come back.
            // (httpAnswer: text and a Response written by drover, a 204 by Netty's encoder.)
            case "http" -> new Exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx"
                    + "PATCH / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx",
                    s -> occurrences(s, "\r\n\r\n") >= 3);
            // The handshake, then a masked text frame "x" (mask 0); the answer is the 101 head and a 3-byte frame.
            case "websocket" -> new Exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\u0081\u0081\0\0\0\0x",
                    s -> s.indexOf("\r\n\r\n") >= 0 && s.length() >= s.indexOf("\r\n\r\n") + 4 + 3);
            case "tcp" -> new Exchange("x", s -> !s.isEmpty());
            case "text" -> new Exchange("x\n", s -> s.endsWith("\n"));
            case "frame" -> new Exchange("\0\0\0\u0005x", s -> s.length() >= 5);
            default -> null;
        };
    }
}
