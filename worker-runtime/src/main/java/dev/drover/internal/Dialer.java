package dev.drover.internal;

import dev.drover.AsyncTcpConnection;
import dev.drover.Connection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/** Opens the connections of {@link AsyncTcpConnection}s on the worker's event loop. */
public final class Dialer {
    private Dialer() {}

    /**
     * Connects {@code facade} to {@code uri} ({@code tcp://}, {@code text://}, {@code ws://}, ...)
     * as connection {@code id} (0: a new one), which it returns. {@code connected} gets the live
     * connection once its channel exists; {@code failed} is given the reason when it could not be
     * opened, or its TLS or WebSocket handshake failed, and says whether that is dealt with (the
     * application's onError heard of it, or the attempt is no longer the facade's): else
     * {@code failures} logs it; {@code closed} is asked, when it closes,
     * whether the application's onClose runs (not for a connection the facade already replaced).
     */
    public static long dial(AsyncTcpConnection facade, long id, URI uri, boolean ssl, boolean verifyPeer, FailureLog failures,
                            Consumer<Connection> connected, Predicate<Throwable> failed, Predicate<Connection> closed) {
        WorkerRuntime runtime = WorkerRuntime.current();
        long connectionId = id != 0 ? id : runtime.nextConnectionId();
        String scheme = uri.getScheme();
        Codec codec = scheme.equals("ws") || scheme.equals("wss") ? new WebSocketClientCodec(uri) : Codec.forScheme(scheme);
        if (codec == null || codec instanceof HttpCodec || codec instanceof WebSocketCodec) {
            throw new IllegalArgumentException("cannot open a client connection with protocol '" + scheme + "': " + uri);
        }
        SslContext context = ssl || scheme.equals("wss") ? clientContext(verifyPeer) : null;
        Bootstrap bootstrap = new Bootstrap()
                .group(runtime.loop())
                .channelFactory(EpollSocketChannel::new)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        NettyConnection connection = new NettyConnection(channel, runtime.worker(), codec, connectionId, runtime, facade);
                        connection.whenClosed(closed);
                        connection.whenHandshakeFails(failed, failures);
                        connected.accept(connection);
                        if (context != null) {
                            channel.pipeline().addLast(context.newHandler(channel.alloc(), uri.getHost(), port(uri)));
                        }
                        runtime.installConnection(channel.pipeline(), connection);
                    }
                });
        Consumer<Throwable> refused = cause -> {
            if (!failed.test(cause)) {
                failures.log(facade + ": " + connectFailed(uri, cause));
            }
        };
        Lookups.resolve(uri.getHost(), port(uri), runtime.loop(), (address, failure) -> {
            if (failure != null) {
                refused.accept(failure);
                return;
            }
            bootstrap.connect(address).addListener(done -> {
                if (!done.isSuccess()) {
                    refused.accept(done.cause());
                }
            });
        });
        return connectionId;
    }

    /** {@code connect 127.0.0.1:5678 failed: Connection refused (111): nothing listens there}: what onError hears, or the log. */
    public static String connectFailed(URI uri, Throwable cause) {
        return "connect " + uri.getHost() + ":" + port(uri) + " failed: " + reason(cause);
    }

    /**
     * Why a connect or its handshake failed: a TLS or WebSocket handshake's failure comes wrapped by
     * the decoder that met it; a system call's, as Netty words it ({@code finishConnect(..) failed
     * with error(-111): Connection refused: /127.0.0.1:9}), as the system's text and errno name.
     */
    public static String reason(Throwable failure) {
        Throwable reason = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        String message = reason.getMessage() != null ? reason.getMessage() : reason.toString();
        Matcher system = SYSTEM_ERROR.matcher(message);
        if (!system.find()) {
            return message;
        }
        String errno = system.group(1);
        return system.group(2) + " (" + errno + ")" + (errno.equals("111") ? ": nothing listens there" : "");
    }

    /** A system call's failure as Netty words it: {@code finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:9}. */
    private static final Pattern SYSTEM_ERROR = Pattern.compile("failed with error\\(-?(\\d+)\\): ([^:]+)");

    /** The port {@code uri} names, or its scheme's (80 for ws://, 443 for wss://). */
    public static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return switch (uri.getScheme()) {
            case "ws" -> 80;
            case "wss" -> 443;
            default -> throw new IllegalArgumentException("no port in " + uri);
        };
    }

    /** The JDK's trust store is read once for all connections (each connect read it again), and so is the trusting context. */
    private static volatile SslContext verifying;
    private static volatile SslContext trusting;

    private static SslContext clientContext(boolean verifyPeer) {
        SslContext known = verifyPeer ? verifying : trusting;
        if (known == null) {
            known = newClientContext(verifyPeer);
            if (verifyPeer) {
                verifying = known;
            } else {
                trusting = known;
            }
        }
        return known;
    }

    private static SslContext newClientContext(boolean verifyPeer) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (!verifyPeer) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for a client connection: " + e.getMessage(), e);
        }
    }

    /**
     * Sends what an AsyncTcpConnection queued before it was up, which it accepted within
     * maxSendBufferSize of bytes: Netty counts ~100 bytes more for each write, so a queue of small
     * sends, flushed at once, looked full and its last ones were dropped though the send said QUEUED.
     */
    public static void sendAccepted(Connection live, Object data, boolean raw) {
        ((NettyConnection) live).sendAccepted(data, raw);
    }

    /** A ws:// AsyncTcpConnection's ping or pong hook was set: its connection, if it has one, routes those frames to it. */
    public static void hooksChanged(Connection live) {
        if (live instanceof NettyConnection connection) {
            connection.routeControlFrames();
        }
    }
}
