package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Outgoing connections' host names are looked up beside the event loop, which goes on meanwhile. */
@Timeout(30)
class LookupsTest {
    private final ExecutorService loop = Executors.newSingleThreadExecutor(task -> new Thread(task, "loop"));
    private final ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "lookup"));

    @AfterEach
    void stop() {
        loop.shutdownNow();
        pool.shutdownNow();
    }

    @Test
    void anIpAddressIsGivenAtOnceWithoutALookup() {
        Lookups.Resolver none = host -> {
            throw new AssertionError("looked up " + host);
        };
        InetSocketAddress[] given = new InetSocketAddress[2];
        Lookups.resolve("127.0.0.1", 80, loop, none, pool, (address, failure) -> given[0] = address);
        Lookups.resolve("[::1]", 443, loop, none, pool, (address, failure) -> given[1] = address);
        assertEquals(new InetSocketAddress("127.0.0.1", 80), given[0]);
        assertEquals(new InetSocketAddress("::1", 443), given[1]);
    }

    @Test
    void aSlowLookupLeavesTheLoopFree() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        Lookups.Resolver slow = host -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7});
        };
        CompletableFuture<String> done = new CompletableFuture<>();
        loop.submit(() -> Lookups.resolve("db.internal", 5432, loop, slow, pool,
                (address, failure) -> done.complete(Thread.currentThread().getName() + " " + address))).get(5, TimeUnit.SECONDS);
        assertEquals("the loop ran", loop.submit(() -> "the loop ran").get(5, TimeUnit.SECONDS), "while the lookup is under way");
        assertTrue(!done.isDone());
        answer.countDown();
        assertEquals("loop db.internal/10.0.0.7:5432", done.get(5, TimeUnit.SECONDS), "the answer comes on the loop");
    }

    @Test
    void aNameThatDoesNotResolveIsAFailure() throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        Lookups.resolve("nowhere.invalid", 80, loop, host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        }, pool, (address, failure) -> {
            assertNull(address);
            done.complete(failure);
        });
        assertEquals("nowhere.invalid: Name or service not known", done.get(5, TimeUnit.SECONDS).getMessage());
    }
}
