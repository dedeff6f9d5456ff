package dev.drover.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayDeque;

/**
 * The buffers a worker's event loop reads its connections into and writes its own answers and
 * WebSocket frames from: a few of one size per loop thread, taken and given back, where the pooled
 * allocator looked up a size class, a chunk and a thread cache, and recycled its buffer and cache
 * entry objects through queues with an atomic operation each, twice for every request. A buffer
 * from here may hold more than asked for, so only code that writes into it what it has (a read, an
 * answer, a frame) takes one; Netty's own allocations stay the channel allocator's. Larger
 * buffers, and any taken off an event loop (an application's own thread sending), are the default
 * allocator's; one given back off its loop is freed.
 */
final class LoopBuffers {
    /** The one size: a whole common request or answer, and the first read's (larger reads are the default allocator's). */
    static final int SIZE = 4096;
    /** Buffers kept for reuse per loop; more given back at once (a broadcast's) are freed. */
    static final int KEEP = 64;
    /** Channels read into these. */
    static final RecvByteBufAllocator READS = new Reads();

    private static final FastThreadLocal<LoopBuffers> LOOP = new FastThreadLocal<>() {
        @Override
        protected LoopBuffers initialValue() {
            return new LoopBuffers();
        }
    };

    private final Thread owner = Thread.currentThread();
    private final ArrayDeque<Buffer> free = new ArrayDeque<>(KEEP);

    private LoopBuffers() {}

    /** A direct buffer with room for at least {@code minimum} bytes, maybe more. */
    static ByteBuf take(int minimum) {
        if (minimum > SIZE || !FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
            return ByteBufAllocator.DEFAULT.directBuffer(minimum);
        }
        LoopBuffers loop = LOOP.get();
        Buffer buffer = loop.free.pollLast();
        if (buffer == null) {
            return loop.new Buffer();
        }
        buffer.reuse();
        return buffer;
    }

    /** Buffers this thread keeps for reuse. */
    static int kept() {
        return LOOP.get().free.size();
    }

    /** {@link #SIZE} bytes that go back to their loop's list when released there, unless they grew. */
    final class Buffer extends UnpooledUnsafeDirectByteBuf {
        Buffer() {
            super(ByteBufAllocator.DEFAULT, SIZE, Integer.MAX_VALUE);
        }

        void reuse() {
            resetRefCnt();
            setIndex(0, 0);
            markReaderIndex();
            markWriterIndex();
        }

        @Override
        protected void deallocate() {
            if (Thread.currentThread() == owner && capacity() == SIZE && free.size() < KEEP) {
                free.addLast(this);
            } else {
                super.deallocate();
            }
        }
    }

    /**
     * Reads into buffers from here, sized as Netty's adaptive allocator sizes them (from one buffer
     * up to 64 KiB, four times larger after a read that filled its buffer, halved after two that
     * used half or less), 16 reads per turn at most, as Netty's sockets do. Its own handle rather
     * than one wrapping Netty's adaptive handle: a read goes through one object fewer.
     */
    private static final class Reads extends DefaultMaxMessagesRecvByteBufAllocator {
        static final int MAX_GUESS = 65536;

        Reads() {
            super(16);
        }

        @Override
        public Handle newHandle() {
            return new ReadHandle();
        }

        private final class ReadHandle extends MaxMessageHandle {
            private int guess = SIZE;
            private boolean shrinkNext;

            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                return take(guess);
            }

            @Override
            public int guess() {
                return guess;
            }

            @Override
            public void lastBytesRead(int bytes) {
                if (bytes == attemptedBytesRead()) {
                    record(bytes); // the buffer filled: the next one may be larger at once
                }
                super.lastBytesRead(bytes);
            }

            @Override
            public void readComplete() {
                record(totalBytesRead());
            }

            private void record(int bytes) {
                if (bytes >= guess) {
                    guess = Math.min(MAX_GUESS, guess * 4);
                    shrinkNext = false;
                } else if (bytes <= guess / 2 && guess > SIZE) {
                    if (shrinkNext) {
                        guess /= 2;
                    }
                    shrinkNext = !shrinkNext;
                } else {
                    shrinkNext = false;
                }
            }
        }
    }
}
