package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.drover.Protocol;
import dev.drover.protocols.Frame;
import dev.drover.protocols.Text;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** text and frame on Netty's EmbeddedChannel: split byte by byte, coalesced, oversized, bad. */
class ProtocolDecoderTest {

    private static EmbeddedChannel channel(Protocol protocol, int max) {
        return new EmbeddedChannel(new ProtocolDecoder(protocol, StubConnection.withMaxPackageSize(max)));
    }

    private static List<Object> feedByteByByte(EmbeddedChannel channel, byte[] bytes) {
        List<Object> out = new ArrayList<>();
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            Object message;
            while ((message = channel.readInbound()) != null) {
                out.add(message);
            }
        }
        return out;
    }

    private static List<Object> feedAtOnce(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Object> out = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            out.add(message);
        }
        return out;
    }

    @Test
    void textLinesSplitAndCoalesced() {
        byte[] wire = "hello\nwörld\r\n\nlast".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("hello", "wörld", ""), feedByteByByte(channel(new Text(), 1024), wire));
        assertEquals(List.of("hello", "wörld", ""), feedAtOnce(channel(new Text(), 1024), wire));
    }

    /** connections' Recv-Q: what was read and makes no package yet, as Workerman's receive buffer. */
    @Test
    void theBytesOfAPackageNotWholeYetAreHeld() {
        EmbeddedChannel channel = channel(new Text(), 1024);
        ProtocolDecoder decoder = channel.pipeline().get(ProtocolDecoder.class);
        assertEquals(List.of("one"), feedAtOnce(channel, "one\ntw".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, decoder.held());
        assertEquals(List.of("two"), feedAtOnce(channel, "o\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, decoder.held());
    }

    @Test
    void aLinesEndIsEveryCarriageReturnBeforeItsNewline() {
        assertEquals(List.of("abc", "a\rb", ""), feedAtOnce(channel(new Text(), 1024), "abc\r\r\na\rb\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
    }

    /** A Text of another charset reads and writes its lines in it; Latin-1 keeps any bytes. */
    @Test
    void textLinesInAnotherCharset() {
        Charset gbk = Charset.forName("GBK");
        byte[] wire = "你好\r\n中文 text\n".getBytes(gbk);
        assertEquals(List.of("你好", "中文 text"), feedByteByByte(channel(new Text(gbk), 1024), wire));
        assertEquals("再见\n", new String(new Text(gbk).encode("再见", null), gbk));
        byte[] any = {(byte) 0xff, 0, (byte) 0x80, '\n'};
        String kept = (String) feedAtOnce(channel(new Text(StandardCharsets.ISO_8859_1), 1024), any).get(0);
        assertArrayEquals(any, new Text(StandardCharsets.ISO_8859_1).encode(kept, null), "the same bytes back");
        assertEquals("text lines end with the byte 10 (\\n), which UTF-16 does not write as one byte: use a charset such as UTF-8, GBK or ISO-8859-1",
                assertThrows(IllegalArgumentException.class, () -> new Text(StandardCharsets.UTF_16)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Text(Charset.forName("ISO-2022-CN")), "a charset that only decodes");
    }

    @Test
    void afterARefusedPackageNothingMoreIsReadNorTheProtocolAskedAgain() {
        int[] asked = {0};
        Text text = new Text();
        Protocol failing = new Protocol() {
            @Override
            public int input(ByteBuffer buffer, dev.drover.Connection connection) {
                asked[0]++;
                if (buffer.get(buffer.position()) == 'X') {
                    throw new IllegalStateException("the protocol's own bug");
                }
                return text.input(buffer, connection);
            }

            @Override
            public Object decode(byte[] packet, dev.drover.Connection connection) {
                return text.decode(packet, connection);
            }

            @Override
            public byte[] encode(Object data, dev.drover.Connection connection) {
                return text.encode(data, connection);
            }
        };
        EmbeddedChannel channel = channel(failing, 1024);
        assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer("ok\nX\nlater\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals("ok", channel.readInbound(), "what came before it is dispatched");
        int before = asked[0];
        channel.writeInbound(Unpooled.wrappedBuffer("more\n".getBytes(StandardCharsets.UTF_8)));
        channel.finish(); // the close: Netty's decoder reads what is left once more
        assertNull(channel.readInbound());
        assertEquals(before, asked[0], "input() was not called again");
    }

    @Test
    void textLineOverMaxPackageSizeIsBadInput() {
        EmbeddedChannel channel = channel(new Text(), 8);
        assertThrows(DecoderException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer("0123456789".getBytes())));
    }

    @Test
    void framesSplitAndCoalesced() {
        Frame frame = new Frame();
        byte[] one = frame.encode("abc", null);
        byte[] two = frame.encode(new byte[] {0, 1, 2, (byte) 255}, null);
        byte[] wire = ByteBuffer.allocate(one.length + two.length).put(one).put(two).array();
        assertArrayEquals(new byte[] {0, 0, 0, 7, 'a', 'b', 'c'}, one);
        for (List<Object> out : List.of(feedByteByByte(channel(frame, 1024), wire), feedAtOnce(channel(frame, 1024), wire))) {
            assertEquals(2, out.size());
            assertArrayEquals("abc".getBytes(), (byte[]) out.get(0));
            assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, (byte[]) out.get(1));
        }
    }

    @Test
    void truncatedFrameWaitsAndBadLengthsAreRejected() {
        EmbeddedChannel waiting = channel(new Frame(), 1024);
        assertFalse(waiting.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 'a'})));
        assertNull(waiting.readInbound());
        EmbeddedChannel tooShort = channel(new Frame(), 1024);
        assertThrows(DecoderException.class, () -> tooShort.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2})));
        EmbeddedChannel tooLong = channel(new Frame(), 1024);
        assertThrows(DecoderException.class, () -> tooLong.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 8, 0})));
    }

    @Test
    void aUserProtocolIsNamedByRegistrationOrClassName() {
        Protocol.register("shout", new Text());
        assertEquals(Text.class, Protocol.named("shout").getClass());
        assertEquals(Frame.class, Protocol.named(Frame.class.getName()).getClass());
        assertNull(Protocol.named("nope"));
        assertNull(Protocol.named("java.lang.String"));
    }
}
