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
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
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
        return frame((fin ? 0x80 : 0) | opcode, payload);
    }

    /** A masked client frame whose first byte is {@code first} (FIN, RSV1-3, opcode); payloads up to 64 KiB. */
    private static byte[] frame(int first, byte[] payload) {
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        if (payload.length <= 125) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
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

    @Test
    void aFrameInTheHandshakesPacketIsTheFirstMessage() {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCodec.INSTANCE.install(channel.pipeline(), StubConnection.withMaxPackageSize(1024));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(HANDSHAKE.getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(frame(true, 0x1, "at once".getBytes(StandardCharsets.UTF_8)));
        channel.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));

        assertTrue(new String(outbound(channel), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"));
        assertEquals(List.of("at once"), decoded(channel));
        assertTrue(channel.isActive());
    }

    /** What the server answers {@code handshake} with, and whether it then closed. */
    private static String refused(String handshake) {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCodec.INSTANCE.install(channel.pipeline(), StubConnection.withMaxPackageSize(1024));
        channel.writeInbound(Unpooled.wrappedBuffer(handshake.getBytes(StandardCharsets.US_ASCII)));
        assertFalse(channel.isActive(), "closed after the answer");
        return new String(outbound(channel), StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
    }

    /** Upgrade is a list (RFC 9110 7.8): websocket among others is a handshake, as Workerman takes it. */
    @Test
    void anUpgradeListNamingWebsocketIsAHandshake() {
        handshaken(HANDSHAKE.replace("Upgrade: websocket", "Upgrade: websocket, h2c")).close();
    }

    @Test
    void onlyRfc6455sHandshakeIsTaken() {
        String draft8 = refused(HANDSHAKE.replace("Version: 13", "Version: 8"));
        assertTrue(draft8.startsWith("http/1.1 426 upgrade required\r\n") && draft8.contains("\r\nsec-websocket-version: 13\r\n"), draft8);
        assertTrue(java.util.regex.Pattern.compile("\r\ndate: [a-z]{3}, [0-9]{2} [a-z]{3} [0-9]{4} [0-9:]{8} gmt\r\n").matcher(draft8).find(),
                "a refusal is dated, as HTTP's answers: " + draft8);
        String hixie76 = refused("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nOrigin: http://h\r\n"
                + "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nSec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n\r\n^n:ds[4U");
        assertTrue(hixie76.startsWith("http/1.1 426 "), hixie76);
        String badKey = refused(HANDSHAKE.replace("dGhlIHNhbXBsZSBub25jZQ==", "abc"));
        assertTrue(badKey.startsWith("http/1.1 400 ") && badKey.contains("sec-websocket-key"), badKey);
        String noHost = refused(HANDSHAKE.replace("Host: h\r\n", ""));
        assertTrue(noHost.startsWith("http/1.1 400 ") && noHost.endsWith("an http/1.1 request needs a host header\n"), noHost);
    }

    /** The one close frame the server wrote (its code), and that the connection then closed. */
    private static int closedWith(EmbeddedChannel channel) {
        byte[] written = outbound(channel);
        assertFalse(channel.isActive(), "closed");
        assertTrue(written.length >= 4 && (written[0] & 0xFF) == 0x88, "a close frame: " + Arrays.toString(written));
        assertEquals(2 + written[1], written.length, "one frame and nothing after it: " + Arrays.toString(written));
        return (written[2] & 0xFF) << 8 | written[3] & 0xFF;
    }

    @Test
    void fragmentsAddingUpToMoreThanMaxPackageSizeCloseWith1009() {
        EmbeddedChannel channel = handshaken();
        channel.writeInbound(Unpooled.wrappedBuffer(frame(false, 0x2, new byte[1000])));
        channel.writeInbound(Unpooled.wrappedBuffer(frame(true, 0x0, new byte[100])));
        assertEquals(List.of(), decoded(channel));
        assertEquals(1009, closedWith(channel));
    }

    /** permessage-deflate's payload of {@code data} (RFC 7692 7.2.1: raw deflate, the final empty block's 4 bytes left off). */
    private static byte[] deflated(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        byte[] out = new byte[data.length + 64];
        int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, length - 4);
    }

    private static final String DEFLATE_HANDSHAKE = HANDSHAKE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n");

    @Test
    void aCompressedFrameInflatingPastMaxPackageSizeClosesWith1009() {
        EmbeddedChannel small = handshaken(DEFLATE_HANDSHAKE);
        small.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x40 | 0x1, deflated("z".repeat(1024).getBytes(StandardCharsets.US_ASCII)))));
        assertEquals(List.of("z".repeat(1024)), decoded(small));

        EmbeddedChannel bomb = handshaken(DEFLATE_HANDSHAKE);
        byte[] compressed = deflated("z".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        assertTrue(compressed.length < 1024, "the frame itself is under the limit: " + compressed.length);
        bomb.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x40 | 0x1, compressed)));
        assertEquals(List.of(), decoded(bomb));
        assertEquals(1009, closedWith(bomb));
    }

    @Test
    void reservedBitsNoExtensionTookCloseWith1002() {
        EmbeddedChannel plain = handshaken();
        plain.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x40 | 0x2, deflated("hi".getBytes(StandardCharsets.US_ASCII)))));
        assertEquals(List.of(), decoded(plain));
        assertEquals(1002, closedWith(plain));

        EmbeddedChannel compressed = handshaken(DEFLATE_HANDSHAKE);
        compressed.writeInbound(Unpooled.wrappedBuffer(frame(true, 0x1, "as sent".getBytes(StandardCharsets.US_ASCII))));
        compressed.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x40 | 0x1, deflated("inflated".getBytes(StandardCharsets.US_ASCII)))));
        assertEquals(List.of("as sent", "inflated"), decoded(compressed));
        compressed.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x20 | 0x2, new byte[] {1})));
        assertEquals(List.of(), decoded(compressed));
        assertEquals(1002, closedWith(compressed));
    }

    /** Netty's decoder writes no close frame of its own: the one the connection writes (NettyConnection.protocolViolated) is the only one. */
    @Test
    void aFrameTheClientGotWrongGetsOneCloseFrame() {
        EmbeddedChannel channel = handshaken(HANDSHAKE, closingAsTheConnectionDoes());
        byte[] unmasked = {(byte) 0x81, 2, 'h', 'i'};
        channel.writeInbound(Unpooled.wrappedBuffer(unmasked));
        assertEquals(1002, closedWith(channel));
    }

    /** RFC 6455 5.2: a ping or a pong with a reserved bit closes with 1002, as a data frame's does; no pong answers it. */
    @Test
    void aControlFrameWithAReservedBitClosesWith1002() {
        for (int opcode : new int[] {0x9, 0xA}) {
            EmbeddedChannel channel = handshaken(HANDSHAKE, closingAsTheConnectionDoes());
            channel.writeInbound(Unpooled.wrappedBuffer(frame(0x80 | 0x40 | opcode, new byte[] {1})));
            assertEquals(1002, closedWith(channel), "opcode " + opcode);
        }
    }

    /** As ConnectionHandler does with what reaches it (NettyConnection.protocolViolated): a close frame saying why, then the close. */
    private static ChannelHandler closingAsTheConnectionDoes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException corrupt =
                        (io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException) cause;
                ctx.writeAndFlush(new CloseWebSocketFrame(corrupt.closeStatus().code(), "why"))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        };
    }

    @Test
    void closingTheChannelSendsNoCloseFrameOfNettysOwn() {
        EmbeddedChannel channel = handshaken();
        channel.close();
        assertEquals(0, outbound(channel).length);
        EmbeddedChannel closed = handshaken();
        closed.writeAndFlush(new CloseWebSocketFrame(4001, "bye")).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        assertEquals(4001, closedWith(closed));
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

    /** A worker that did not turn compression on declines it: a browser always offers it, and each compressing connection keeps zlib's state. */
    @Test
    void aDefaultWorkerDeclinesCompression() {
        EmbeddedChannel channel = new EmbeddedChannel();
        WebSocketCodec.INSTANCE.install(channel.pipeline(), StubConnection.of(new dev.drover.Worker("websocket://127.0.0.1:0"), 1024));
        channel.writeInbound(Unpooled.wrappedBuffer(DEFLATE_HANDSHAKE.getBytes(StandardCharsets.US_ASCII)));
        ByteBuf response = channel.readOutbound();
        String head = response.toString(StandardCharsets.US_ASCII);
        response.release();
        assertTrue(head.startsWith("HTTP/1.1 101") && !head.toLowerCase().contains("sec-websocket-extensions"), head);
    }

    @Test
    void aNegotiatedCompressionIsInThePipelineWhenTheHandshakeCompletes() {
        assertFalse(extensionsAtHandshake(HANDSHAKE));
        assertTrue(extensionsAtHandshake(HANDSHAKE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")));
    }
}
