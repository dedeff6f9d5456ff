package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * When a connection's writes go out: at the end of its read batch, in its loop's flush batch when
 * written outside a read (one task for every connection), at once past {@link Flushes#MAX_PENDING}
 * flushes or on close.
 */
class FlushesTest {
    /**
     * Every connection's flushes join this batch, on a loop of its own that runs only when the test
     * says: an EmbeddedChannel runs its loop's tasks after each of its writes.
     */
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final FlushBatch batch = new FlushBatch(loop.eventLoop());
    private final EmbeddedChannel first = connection();

    /** A connection's head, as workers install it: {@link Traffic} counts and flushes. */
    private EmbeddedChannel connection() {
        return new EmbeddedChannel(new Traffic(batch));
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** What went out on {@code channel} so far. */
    private static String sent(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            out.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
        }
        return out.toString();
    }

    @Test
    void theBytesInAndOutAreCounted() {
        Traffic traffic = first.pipeline().get(Traffic.class);
        first.writeInbound(text("hello"));
        first.writeAndFlush(text("hi!"));
        loop.runPendingTasks();
        assertEquals("hi!", sent(first));
        ByteBuf read = first.readInbound();
        assertEquals("hello", read.toString(StandardCharsets.US_ASCII));
        read.release();
        assertEquals(5, traffic.bytesRead());
        assertEquals(3, traffic.bytesWritten());
    }

    @Test
    void writesOutsideAReadGoOutTogetherInOneTask() {
        EmbeddedChannel second = connection();
        first.writeAndFlush(text("a"));
        second.writeAndFlush(text("b"));
        first.writeAndFlush(text("c"));
        assertEquals("", sent(first) + sent(second), "nothing out before the batch runs");
        loop.runPendingTasks();
        assertEquals("ac", sent(first));
        assertEquals("b", sent(second));
        assertFalse(loop.hasPendingTasks(), "one task flushed both");
    }

    @Test
    void aWriteDuringItsConnectionsReadGoesOutAtTheEndOfTheRead() {
        first.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ((ByteBuf) message).release();
                ctx.writeAndFlush(text("answer"));
                assertEquals("", sent(first), "not flushed within the read");
            }
        });
        first.pipeline().fireChannelRead(text("request"));
        assertFalse(loop.hasPendingTasks(), "no batch for a connection being read");
        first.pipeline().fireChannelReadComplete();
        assertEquals("answer", sent(first));
    }

    @Test
    void aConnectionBeingReadIsLeftToItsReadsEnd() {
        first.writeAndFlush(text("pushed"));
        first.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        loop.runPendingTasks();
        assertEquals("", sent(first), "the batch leaves a connection in its read alone");
        first.pipeline().fireChannelReadComplete();
        assertEquals("pushed", sent(first));
    }

    @Test
    void tooManyWaitingFlushesGoOutAtOnce() {
        for (int i = 0; i < Flushes.MAX_PENDING; i++) {
            first.writeAndFlush(text("x"));
        }
        assertEquals("x".repeat(Flushes.MAX_PENDING), sent(first));
    }

    @Test
    void closingFlushesWhatWaits() {
        first.writeAndFlush(text("last words"));
        first.close();
        assertEquals("last words", sent(first));
        loop.runPendingTasks(); // the batch still holds the closed connection: nothing more to do
        assertEquals("", sent(first));
    }

    @Test
    void aWriteMadeWhileTheBatchRunsIsBatchedAgain() {
        EmbeddedChannel second = connection();
        first.writeAndFlush(text("one")).addListener(done -> second.writeAndFlush(text("two")));
        loop.runPendingTasks();
        assertEquals("one", sent(first));
        assertEquals("two", sent(second), "the listener's write went out in the batch's next task");
        second.writeAndFlush(text("three"));
        assertEquals("", sent(second));
        loop.runPendingTasks();
        assertEquals("three", sent(second));
    }
}
