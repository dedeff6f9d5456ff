package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.master.Listeners;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connections that wait in the backlog while the loop is busy are accepted in one wake-up, not one
 * per loop turn. The loop is held by a task while the clients connect (the kernel completes their
 * handshakes into the backlog), so when it is released every connection is already queued.
 */
@Timeout(30)
class AcceptBatchTest {
    private static final int QUEUED = 10;

    @Test
    void aWakeUpAcceptsEveryQueuedConnection() throws Exception {
        assertEquals(List.of(QUEUED), acceptedPerWakeUp(AcceptBatch.allocator(AcceptBalance.none()), QUEUED));
    }

    @Test
    void aWakeUpAcceptsAtMostTheBatch() throws Exception {
        int queued = AcceptBatch.SIZE + 3;
        assertEquals(List.of(AcceptBatch.SIZE, 3), acceptedPerWakeUp(AcceptBatch.allocator(AcceptBalance.none()), queued));
    }

    /** A worker far ahead of a sibling that takes connections too leaves the queue to it: one per wake-up. */
    @Test
    void aWorkerAheadOfATakingSiblingAcceptsOnePerWakeUp() throws Exception {
        ByteBuffer page = ByteBuffer.allocateDirect(Listeners.balanceBytes(2));
        AcceptBalance mine = new AcceptBalance(page, 0);
        new AcceptBalance(page, 1).awake();
        mine.awake();
        for (int i = 0; i <= AcceptBalance.SLACK; i++) {
            mine.opened();
        }
        assertEquals(List.of(1, 1, 1), acceptedPerWakeUp(AcceptBatch.allocator(mine), 3));
    }

    /** A sibling that left (its listener closed) is not waited for. */
    @Test
    void aWorkerAheadOfALeftSiblingAcceptsWholeBatches() throws Exception {
        ByteBuffer page = ByteBuffer.allocateDirect(Listeners.balanceBytes(2));
        AcceptBalance mine = new AcceptBalance(page, 0);
        AcceptBalance sibling = new AcceptBalance(page, 1);
        sibling.awake();
        mine.awake();
        for (int i = 0; i <= AcceptBalance.SLACK; i++) {
            mine.opened();
        }
        sibling.leave();
        assertEquals(List.of(3), acceptedPerWakeUp(AcceptBatch.allocator(mine), 3));
    }

    /** Netty's own default, which this class exists for: one accept per wake-up. */
    @Test
    void nettysDefaultAcceptsOnePerWakeUp() throws Exception {
        assertEquals(List.of(1, 1, 1), acceptedPerWakeUp(null, 3));
    }

    /** How many connections each of the listening channel's read bursts took, until {@code queued} were in. */
    private static List<Integer> acceptedPerWakeUp(RecvByteBufAllocator allocator, int queued) throws Exception {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<Socket> clients = new ArrayList<>();
        try {
            BlockingQueue<Integer> bursts = new LinkedBlockingQueue<>();
            ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .handler(new BurstCounter(bursts))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) { }
                    });
            if (allocator != null) {
                bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, allocator);
            }
            Channel server = bootstrap.bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch held = new CountDownLatch(1);
            server.eventLoop().execute(() -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            held.await();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            for (int i = 0; i < queued; i++) {
                clients.add(new Socket(address.getAddress(), address.getPort()));
            }
            release.countDown();
            List<Integer> counts = new ArrayList<>();
            for (int total = 0; total < queued; ) {
                Integer burst = bursts.poll(20, TimeUnit.SECONDS);
                if (burst == null) {
                    throw new AssertionError("only " + total + " of " + queued + " connections accepted: " + counts);
                }
                counts.add(burst);
                total += burst;
            }
            return counts;
        } finally {
            for (Socket client : clients) {
                client.close();
            }
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /** On the listening channel: each read is one accepted connection, read-complete ends a burst. */
    private static final class BurstCounter extends ChannelInboundHandlerAdapter {
        private final BlockingQueue<Integer> bursts;
        private int reads;

        BurstCounter(BlockingQueue<Integer> bursts) {
            this.bursts = bursts;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object child) {
            reads++;
            ctx.fireChannelRead(child);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (reads > 0) {
                bursts.add(reads);
                reads = 0;
            }
            ctx.fireChannelReadComplete();
        }
    }
}
