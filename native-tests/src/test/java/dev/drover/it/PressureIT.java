package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PressureApp;

import java.io.InputStream;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5, acceptance 3: send fails past maxSendBufferSize, onBufferFull/onBufferDrain, pauseRecv stops reading. */
@Timeout(120)
class PressureIT {
    private static final Pattern STATS = Pattern.compile("full=(\\d+) drained=(\\d+) sent=(\\d+) max=(\\d+)");

    @Test
    void aClientThatStopsReadingFillsTheBufferAndDrainsIt(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PressureApp.class)) {
            app.start();
            int port = app.port();
            try (Socket flooded = new Socket()) {
                // A small receive window keeps the server's kernel from absorbing the flood, as a slow client would.
                flooded.setReceiveBufferSize(4096);
                flooded.connect(new InetSocketAddress("127.0.0.1", port));
                flooded.getOutputStream().write("flood\n".getBytes(StandardCharsets.US_ASCII));
                Matcher full = Await.value("send failed once the buffer was full", Duration.ofSeconds(20), () -> {
                    Matcher m = stats(port);
                    return m != null && m.group(1).equals("1") ? m : null;
                });
                assertEquals("0", full.group(2), "not drained while the client does not read");
                long max = Long.parseLong(full.group(4));
                assertEquals(1024 * 1024, max);
                assertTrue(Long.parseLong(full.group(3)) >= max, "send went on until at least maxSendBufferSize was queued: " + full.group());

                InputStream in = flooded.getInputStream();
                byte[] buffer = new byte[1 << 16];
                Await.until("onBufferDrain fired once the client read everything", Duration.ofSeconds(30), () -> {
                    try {
                        while (in.available() > 0) {
                            in.read(buffer);
                        }
                        if (in.available() == 0) {
                            flooded.setSoTimeout(50);
                            try {
                                in.read(buffer);
                            } catch (java.net.SocketTimeoutException drainedForNow) {
                                // nothing more right now
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                    Matcher m = stats(port);
                    return m != null && m.group(2).equals("1");
                });
                assertEquals("1", stats(port).group(1), "onBufferFull fired exactly once");
            }
        }
    }

    @Test
    void pauseRecvStopsReadingSoTheSendersKernelBufferFills(@TempDir Path dir) throws Exception {
        try (App app = new App(dir, PressureApp.class)) {
            app.start();
            int port = app.port();
            try (SocketChannel sender = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                sender.write(ByteBuffer.wrap("pause\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer answer = ByteBuffer.allocate(64);
                sender.read(answer);
                String paused = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).trim();
                assertTrue(paused.startsWith("paused "), paused);
                sender.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
                long written = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                int zeroWrites = 0;
                while (zeroWrites < 50 && System.nanoTime() < deadline) {
                    chunk.clear();
                    int n = sender.write(chunk);
                    written += n;
                    zeroWrites = n == 0 ? zeroWrites + 1 : 0;
                    if (n == 0) {
                        Thread.onSpinWait();
                    }
                }
                assertTrue(zeroWrites >= 50, "the sender's kernel buffer filled after " + written + " bytes");
                assertTrue(written < 64L * 1024 * 1024, "the server did not read them all: " + written);

                assertEquals("resumed", TextClient.ask(port, "resume " + paused.substring(7)));
                Await.until("the sender can write again", Duration.ofSeconds(10), () -> {
                    try {
                        chunk.clear();
                        return sender.write(chunk) > 0;
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
    }

    private static Matcher stats(int port) {
        try {
            Matcher m = STATS.matcher(TextClient.ask(port, "stats"));
            return m.matches() ? m : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

}
