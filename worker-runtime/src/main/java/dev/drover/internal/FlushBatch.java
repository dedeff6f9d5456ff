package dev.drover.internal;

import io.netty.channel.EventLoop;
import java.util.Arrays;

/**
 * The connections of one event loop written to outside their own reads, flushed together by one
 * task on that loop (see {@link Flushes}). A connection written to while the task runs (a write
 * listener's answer) waits for the next task, so other events get their turn in between.
 * Used on the loop's thread only.
 */
final class FlushBatch implements Runnable {
    private final EventLoop loop;
    private Flushes[] waiting = new Flushes[64];
    private Flushes[] running = new Flushes[64];
    private int size;

    FlushBatch(EventLoop loop) {
        this.loop = loop;
    }

    /** Flushes {@code connection} in the batch's next task, scheduling it if none is. */
    void add(Flushes connection) {
        assert loop.inEventLoop() : "a flush batch is used on its loop's thread only";
        if (size == waiting.length) {
            waiting = Arrays.copyOf(waiting, size * 2);
        }
        waiting[size++] = connection;
        if (size == 1) {
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        Flushes[] batch = waiting;
        int count = size;
        waiting = running; // emptied by the last run
        running = batch;
        size = 0;
        for (int i = 0; i < count; i++) {
            Flushes connection = batch[i];
            batch[i] = null;
            connection.batchFlush();
        }
    }
}
