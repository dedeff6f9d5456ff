package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** websocket on Netty's EmbeddedChannel: handshake, then frames split byte by byte and coalesced, fragments joined. */
class WebSocketCodecTest {
    private static final String HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static EmbeddedChannel handshaken() {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCodec.INSTANCE.install(channel.pipeline(), StubConnection.withMaxPackageSize(1024));
        channel.writeInbound(Unpooled.wrappedBuffer(HANDSHAKE.getBytes(StandardCharsets.US_ASCII)));
        ByteBuf response = channel.readOutbound();
        assertTrue(response.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"), response.toString(StandardCharsets.US_ASCII));
        response.release();
        return channel;
    }

    /** A masked client frame. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        out.write(0x80 | payload.length);
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        return out.toByteArray();
    }

    private static List<Object> decoded(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            out.add(WebSocketCodec.INSTANCE.decode(message, null));
            ((WebSocketFrame) message).release();
        }
        return out;
    }

    @Test
    void framesByteByByteAndCoalescedWithFragments() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(frame(true, 0x1, "hello".getBytes(StandardCharsets.UTF_8)));
        wire.writeBytes(frame(false, 0x2, new byte[] {1, 2}));
        wire.writeBytes(frame(true, 0x0, new byte[] {3}));
        byte[] bytes = wire.toByteArray();

        EmbeddedChannel split = handshaken();
        List<Object> fromSplit = new ArrayList<>();
        for (byte b : bytes) {
            split.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            fromSplit.addAll(decoded(split));
        }
        EmbeddedChannel whole = handshaken();
        whole.writeInbound(Unpooled.wrappedBuffer(bytes));
        for (List<Object> messages : List.of(fromSplit, decoded(whole))) {
            assertEquals(2, messages.size());
            assertEquals("hello", messages.get(0));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) messages.get(1));
        }
    }
}
