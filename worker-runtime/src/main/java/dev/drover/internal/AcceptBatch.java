package dev.drover.internal;

import io.netty.channel.ChannelConfig;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * How many queued connections a listening socket accepts each time the loop finds it readable.
 *
 * <p>Netty's epoll server channels accept one connection per wake-up: their allocator stops after
 * one message, and its "maybe more data" test compares the accepted descriptor with one byte, so
 * even a larger limit stops after one. A worker that finds 500 connections in its backlog then
 * takes 500 loop turns to accept them, each turn serving every connection already open: at
 * {@code wrk -c1000} the last ones waited a second or more (p99 0.9-1.3 s, hundreds of wrk
 * timeouts) while the accept queue drained at ~200 connections/s. Accepting until the queue is
 * empty or {@link #SIZE} are taken drains it in a few turns and still lets the other workers on a
 * shared socket take their share.
 */
final class AcceptBatch {
    /** At most this many accepts per wake-up, so the connections already open get their turn too. */
    static final int SIZE = 64;
    /** The buffer size a handle guesses, unused by a listening channel: Netty's {@code ServerChannelRecvByteBufAllocator}'s. */
    private static final int GUESS = 128;

    private AcceptBatch() {}

    /**
     * The allocator for a listening channel: up to {@link #SIZE} accepts, until one finds the queue
     * empty or {@code balance} leaves the rest to a sibling; at least one.
     */
    static RecvByteBufAllocator allocator(AcceptBalance balance) {
        return new DefaultMaxMessagesRecvByteBufAllocator(SIZE) {
            @Override
            public Handle newHandle() {
                return new MaxMessageHandle() {
                    @Override
                    public int guess() {
                        return GUESS;
                    }

                    @Override
                    public void reset(ChannelConfig config) {
                        super.reset(config);
                        balance.awake();
                    }

                    @Override
                    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
                        return super.continueReading(maybeMoreDataSupplier) && balance.mayTakeMore();
                    }
                };
            }
        }.respectMaybeMoreData(false);
    }
}
