package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * websocket on Netty's EmbeddedChannel: handshake, then frames split byte by byte and coalesced,
 * fragments joined; the frames drover writes itself byte for byte against Netty's encoder, and
 * the handshake's extensions as a handler after it sees them.
 */
class WebSocketCodecTest {
    private static final String HANDSHAKE = "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static EmbeddedChannel handshaken() {
        return handshaken(HANDSHAKE);
    }

    /** A channel with the codec, then {@code after}, that went through {@code handshake}. */
    private static EmbeddedChannel handshaken(String handshake, ChannelHandler... after) {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCodec.INSTANCE.install(channel.pipeline(), StubConnection.withMaxPackageSize(1024));
        channel.pipeline().addLast(after);
        channel.writeInbound(Unpooled.wrappedBuffer(handshake.getBytes(StandardCharsets.US_ASCII)));
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

    /** What Netty's server encoder writes for {@code frame}, all its buffers joined. */
    private static byte[] nettyEncoded(WebSocketFrame frame) {
        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        encoder.writeOutbound(frame);
        return outbound(encoder);
    }

    private static byte[] outbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            out.writeBytes(ByteBufUtil.getBytes(buffer));
            buffer.release();
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuf buffer) {
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    @Test
    void framesWrittenInOneBufferAreNettysFramesByteForByte() {
        // Payload lengths at each edge of the 7-, 16- and 64-bit length forms; multi-byte characters
        // and an unpaired surrogate (written as '?', as Netty's UTF-8 encoding does).
        List<String> texts = new ArrayList<>(List.of("", "a", "é€😀", "half \uD800 surrogate"));
        for (int length : new int[] {125, 126, 127, 0xFFFF, 0x10000, 0x10001}) {
            texts.add("x".repeat(length));
            texts.add("é".repeat(length / 2));
        }
        for (String text : texts) {
            assertArrayEquals(nettyEncoded(new TextWebSocketFrame(text)), bytes(WebSocketCodec.frame(WebSocketCodec.TEXT, text)),
                    "text of " + text.length() + " chars");
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(nettyEncoded(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload))),
                    bytes(WebSocketCodec.frame(WebSocketCodec.BINARY, payload)), payload.length + " bytes");
        }
    }

    @Test
    void aWrittenFrameGoesOutAsItIsAfterTheHandshake() {
        EmbeddedChannel channel = handshaken();
        byte[] frame = bytes(WebSocketCodec.frame(WebSocketCodec.TEXT, "pushed"));
        channel.writeAndFlush(Unpooled.wrappedBuffer(frame));
        assertArrayEquals(frame, outbound(channel));
    }

    /** Whether a handler after the codec saw an extension's encoder in the pipeline when the handshake completed. */
    private static boolean extensionsAtHandshake(String handshake) {
        List<Boolean> seen = new ArrayList<>();
        handshaken(handshake, new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                    seen.add(ctx.pipeline().get(WebSocketExtensionEncoder.class) != null);
                }
            }
        });
        assertEquals(1, seen.size(), "handshakes completed");
        return seen.get(0);
    }

    @Test
    void aNegotiatedCompressionIsInThePipelineWhenTheHandshakeCompletes() {
        assertFalse(extensionsAtHandshake(HANDSHAKE));
        assertTrue(extensionsAtHandshake(HANDSHAKE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")));
    }
}
