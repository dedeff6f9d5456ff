package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.master.os.Os;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control channel and operator socket wire formats, byte for byte. */
@Timeout(10)
class ControlMessageTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesTypeArgumentAndNewline() {
        assertArrayEquals(ascii("ready\n"), ControlMessage.of("ready").encode());
        assertArrayEquals(ascii("listen 1\n"), ControlMessage.of("listen", "1").encode());
        assertArrayEquals(ascii("log a\\nb \\\\ c\n"), ControlMessage.of("log", "a\nb \\ c").encode());
    }

    @Test
    void decodesWhatItEncodes() {
        for (ControlMessage message : List.of(ControlMessage.of("stop"), ControlMessage.of("log", "trace\n\tat x\\y"),
                ControlMessage.of("fail", "java.lang.IllegalStateException: boom"))) {
            String line = new String(message.encode(), StandardCharsets.UTF_8);
            assertEquals(message, ControlMessage.decode(line.substring(0, line.length() - 1)));
        }
    }

    @Test
    void rejectsTypesThatWouldBreakTheFraming() {
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.of("two words"));
        assertThrows(IllegalArgumentException.class, () -> ControlMessage.of(""));
    }

    @Test
    void lineBufferSplitsAndJoinsReads() {
        LineBuffer lines = new LineBuffer(64);
        byte[] first = ascii("rea");
        byte[] second = ascii("dy\nlog x\nst");
        assertEquals(List.of(), lines.add(first, first.length));
        assertEquals(List.of("ready", "log x"), lines.add(second, second.length));
        byte[] third = ascii("op\n");
        assertEquals(List.of("stop"), lines.add(third, third.length));
        byte[] tooLong = new byte[100];
        assertThrows(IllegalStateException.class, () -> lines.add(tooLong, tooLong.length));
    }

    @Test
    void replyRelaysOutErrAndExitCode() {
        Os os = Os.linux();
        int[] pair = os.socketPair();
        Reply reply = new Reply(os, pair[0]);
        reply.out("drover[App] master pid 1");
        reply.err("oops\nsecond line");
        reply.exit(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Reply.relay(os, pair[1], new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                java.time.Duration.ofSeconds(5));
        os.close(pair[1]);
        assertEquals(3, code);
        assertEquals("drover[App] master pid 1\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("oops\nsecond line\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedLinesHaveALowerCaseTypeAndGarbageHasNot() {
        for (String line : List.of("ready", "beat", "log a\\nb\r\u0001", "status busy=0 connections=3", "somethingnew from a newer worker")) {
            assertTrue(ControlMessage.wellFormed(line), line);
        }
        for (String line : List.of("", " ready", "READY", "\u0000\u0001\u0002", "GET / HTTP/1.1", "ready\u0000", "x".repeat(33))) {
            assertFalse(ControlMessage.wellFormed(line), line);
        }
    }
}
