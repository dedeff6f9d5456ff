package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.IllegalReferenceCountException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A loop's buffers: reused once released on their loop, clean each time; large ones, grown ones and other threads' are not. */
@Timeout(30)
class LoopBuffersTest {
    private static final ChannelConfig CONFIG = new EmbeddedChannel().config();
    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReleasedBufferIsTakenAgainCleanAndLive() throws Exception {
        onLoop(() -> {
            ByteBuf first = LoopBuffers.take(100);
            assertTrue(first instanceof LoopBuffers.Buffer, first.getClass().getName());
            assertEquals(LoopBuffers.SIZE, first.capacity(), "room for at least what was asked");
            first.writeBytes("hello".getBytes(StandardCharsets.US_ASCII)).readByte();
            first.markReaderIndex();
            assertTrue(first.release());
            assertThrows(IllegalReferenceCountException.class, first::readByte, "released means released");
            ByteBuf second = LoopBuffers.take(10);
            assertSame(first, second);
            assertEquals(1, second.refCnt());
            assertEquals(0, second.readerIndex());
            assertEquals(0, second.writerIndex());
            second.resetReaderIndex();
            assertEquals(0, second.readerIndex(), "the old mark is gone");
            second.release();
            return null;
        });
    }

    @Test
    void largeGrownAndForeignBuffersAreNotKept() throws Exception {
        onLoop(() -> {
            int before = LoopBuffers.kept();
            ByteBuf large = LoopBuffers.take(LoopBuffers.SIZE + 1);
            assertFalse(large instanceof LoopBuffers.Buffer);
            assertEquals(LoopBuffers.SIZE + 1, large.capacity());
            large.release();
            ByteBuf grown = LoopBuffers.take(16);
            grown.writeBytes(new byte[LoopBuffers.SIZE + 10]);
            grown.release();
            assertEquals(before - (before > 0 ? 1 : 0), LoopBuffers.kept(), "a buffer that grew is freed, not kept");
            return null;
        });
        ByteBuf offLoop = LoopBuffers.take(16);
        assertFalse(offLoop instanceof LoopBuffers.Buffer, "an application's own thread gets the default allocator's");
        offLoop.release();
        int kept = onLoop(LoopBuffers::kept);
        ByteBuf taken = onLoop(() -> LoopBuffers.take(16));
        taken.release(); // given back off its loop: freed, not kept
        assertEquals(kept - (kept > 0 ? 1 : 0), onLoop(LoopBuffers::kept));
    }

    @Test
    void readsGrowAfterAFullBufferAndShrinkAfterTwoHalfEmptyOnes() {
        RecvByteBufAllocator.Handle handle = LoopBuffers.READS.newHandle();
        assertEquals(LoopBuffers.SIZE, handle.guess(), "one loop buffer to begin with");
        read(handle, LoopBuffers.SIZE);
        assertEquals(4 * LoopBuffers.SIZE, handle.guess(), "a full buffer: four times larger at once");
        read(handle, 20_000);
        assertEquals(65536, handle.guess(), "at most 64 KiB");
        read(handle, 100);
        assertEquals(65536, handle.guess(), "one small read is not enough to shrink");
        read(handle, 100);
        assertEquals(32768, handle.guess());
        for (int i = 0; i < 20; i++) {
            read(handle, 100);
        }
        assertEquals(LoopBuffers.SIZE, handle.guess(), "never below one loop buffer");
    }

    /** One turn's read of {@code bytes}, as an epoll channel reads: reset, attempt, read, complete. */
    private static void read(RecvByteBufAllocator.Handle handle, int bytes) {
        handle.reset(CONFIG);
        handle.attemptedBytesRead(handle.guess());
        handle.lastBytesRead(bytes);
        handle.readComplete();
    }

    @Test
    void atMostKeepBuffersWaitForReuse() throws Exception {
        onLoop(() -> {
            List<ByteBuf> many = new ArrayList<>();
            for (int i = 0; i < LoopBuffers.KEEP + 10; i++) {
                many.add(LoopBuffers.take(64));
            }
            many.forEach(ByteBuf::release);
            assertEquals(LoopBuffers.KEEP, LoopBuffers.kept());
            LoopBuffers.take(64).release();
            assertEquals(LoopBuffers.KEEP, LoopBuffers.kept());
            return null;
        });
    }
}
