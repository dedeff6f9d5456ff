package dev.drover;

import dev.drover.protocols.Frame;
import dev.drover.protocols.Text;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Workerman's protocol contract, for framing your own protocol on a stream. Name a registered
 * protocol in a listen address ({@code myproto://0.0.0.0:9000}), or its class's full name.
 */
public interface Protocol {
    /**
     * Given the bytes received so far (from the buffer's position to its limit; do not keep it),
     * says how long the first package is: 0 when more bytes are needed to tell, n &gt; 0 when the
     * package is n bytes, negative for bad input (the connection is destroyed, as it is for a
     * length over {@link Connection#getMaxPackageSize}).
     */
    int input(ByteBuffer buffer, Connection connection);

    /** Turns one whole package into what {@code onMessage} receives (null too). */
    Object decode(byte[] packet, Connection connection);

    /** Turns what {@code send} was given into bytes on the wire; null sends nothing, as in Workerman. */
    byte[] encode(Object data, Connection connection);

    /** Makes {@code name://...} listen addresses and clients use {@code protocol}. */
    static void register(String name, Protocol protocol) {
        Registry.PROTOCOLS.put(name, protocol);
    }

    /** The protocol registered under {@code name}, or a class of that full name; null when neither. */
    static Protocol named(String name) {
        Protocol registered = Registry.PROTOCOLS.get(name);
        if (registered != null || !name.contains(".")) {
            return registered;
        }
        try {
            Object instance = Class.forName(name).getDeclaredConstructor().newInstance();
            return instance instanceof Protocol protocol ? protocol : null;
        } catch (ReflectiveOperationException | LinkageError notAProtocol) {
            return null;
        }
    }

    /** The registered protocols; text and frame are built in. */
    final class Registry {
        private static final Map<String, Protocol> PROTOCOLS = new ConcurrentHashMap<>(Map.of("text", new Text(), "frame", new Frame()));

        private Registry() {}
    }
}
