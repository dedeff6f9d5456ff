package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelOutboundHandler;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pipeline asks each handler's class for {@code @Sharable} (adapters only) and each of its
 * event methods for {@code @Skip}; the first annotation the JDK finds there becomes a proxy class
 * (see {@link ForwardingInbound}). On the handlers of a worker's listeners and of its plain
 * connections (HTTP, and the protocols {@link ProtocolDecoder} reads) there must be none to find.
 */
class ForwardingHandlersTest {
    private static final List<Class<? extends ChannelHandler>> HANDLERS = List.of(Acceptor.class, Traffic.class, HttpServerSide.class,
            ConnectionHandler.class, BodilessRequests.class, ProtocolDecoder.class);

    @Test
    void noHandlerOfAListenerOrAPlainConnectionCarriesAnAnnotationForItsPipelineToRead() {
        for (Class<? extends ChannelHandler> handler : HANDLERS) {
            assertEquals(0, handler.getAnnotations().length, handler + ": " + Arrays.toString(handler.getAnnotations()));
            for (Class<?> events : List.of(ChannelHandler.class, ChannelInboundHandler.class, ChannelOutboundHandler.class)) {
                if (!events.isAssignableFrom(handler)) {
                    continue;
                }
                for (Method event : events.getDeclaredMethods()) {
                    Method found = eventMethod(handler, event);
                    assertEquals(0, found.getAnnotations().length, found + ": " + Arrays.toString(found.getAnnotations()));
                }
            }
        }
    }

    private static Method eventMethod(Class<?> handler, Method event) {
        try {
            return handler.getMethod(event.getName(), event.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(handler + " has no " + event.getName(), e);
        }
    }
}
