package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelClientTest {
    private final List<String> log = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private boolean stopping;
    /** The client's clock, in nanoseconds: each down() comes 5 s after what came before, downBriefly() 0.1 s. */
    private long now = 1_000_000_000_000L;
    private final FakeBackend backend = new FakeBackend();
    /** What the client asked to run later, and when (the clock's time), in order. */
    private final List<Map.Entry<Long, Runnable>> later = new ArrayList<>();
    private final ChannelClient client = new ChannelClient(
            new ChannelClient.Host(log::add, () -> stopping, (name, task) -> {
                try {
                    task.run();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, () -> now, (task, nanos) -> later.add(Map.entry(now + nanos, task))),
            ServerAddress.parse("127.0.0.1:2206"), listener -> backend.listening(listener));

    @Test
    void whatIsPublishedDuringAnOutageGoesOutFirstAndInOrderOnReconnect() {
        backend.up();
        client.publish("e", "1");
        backend.down("the server closed the connection");
        client.publish("e", "2");
        client.publish("e", "3");
        assertEquals(List.of("e=1"), backend.sent, "nothing goes out while it is down");
        backend.up();
        client.publish("e", "4");
        assertEquals(List.of("e=1", "e=2", "e=3", "e=4"), backend.sent);
        assertEquals(2, log.size(), "the outage and its end: " + log);
        assertTrue(log.get(0).startsWith("channel: frame://127.0.0.1:2206 is unreachable (the server closed the connection)"), log.get(0));
        assertTrue(log.get(1).contains("sent the 2 events published here meanwhile"), log.get(1));
    }

    /** A server that accepts and closes at once is told of once a minute, not on every connection. */
    @Test
    void aServerThatClosesEachConnectionAtOnceIsLoggedOnceAMinute() {
        backend.up();
        for (int i = 0; i < 100; i++) { // 10 s of it
            backend.downBriefly("the server closed the connection");
            backend.up();
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).endsWith("it closed the connection within a second of accepting it: until one lasts, this is logged once a minute"),
                log.get(0));
        now += 60_000_000_000L;
        backend.downBriefly("the server closed the connection");
        backend.up();
        assertEquals(3, log.size(), "a minute later, its end and the next: " + log);
        backend.down("the server closed the connection"); // one that lasted: its end is told, as is the next start
        backend.up();
        assertEquals(5, log.size(), log.toString());
        assertTrue(log.get(4).contains("connected to frame://127.0.0.1:2206 again"), log.get(4));
    }

    /**
     * An outage that follows a connection of less than a second (a server restarted right after
     * the worker connected) is told, and so is its end, once the next connection lasts a second:
     * a log that says "unreachable" and nothing after reads as a server still down.
     */
    @Test
    void theEndOfAnOutageAfterABriefConnectionIsToldOnceTheNextOneLasts() {
        backend.up();
        backend.downBriefly("the server closed the connection");
        backend.up();
        assertEquals(1, log.size(), log.toString());
        now += 1_000_000_000L;
        runDue();
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(1).startsWith("channel: connected to frame://127.0.0.1:2206 again after "), log.get(1));
    }

    /** Runs what the client asked to run by now. */
    private void runDue() {
        for (Map.Entry<Long, Runnable> task : List.copyOf(later)) {
            if (task.getKey() <= now) {
                later.remove(task);
                task.getValue().run();
            }
        }
    }

    @Test
    void dropsWhileTheServerReadsTooSlowlyAreToldAtOnceAndWhenItCatchesUp() {
        backend.up();
        backend.writable = false;
        String big = "x".repeat((1 << 20) - 1 - ChannelClient.ENTRY_BYTES / 2); // 2 MiB as counted
        for (int i = 0; i < 34; i++) {
            client.publish("e", big);
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("takes no more: 64 MiB of events published here wait for it to read"), log.get(0));
        backend.writable = true;
        backend.listener.writable();
        assertEquals(32, backend.sent.size());
        assertEquals("channel: frame://127.0.0.1:2206 caught up; 2 events published here were dropped meanwhile", log.get(1));
    }

    @Test
    void publishesTheBackendFailedAreLoggedAtOnceThenOnceAMinute() {
        backend.up();
        for (int i = 0; i < 5; i++) {
            backend.listener.publishFailed("news", "Request queue size exceeded");
        }
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("channel: publishing 'news' to frame://127.0.0.1:2206 failed: Request queue size exceeded;"), log.get(0));
        now += 61_000_000_000L;
        backend.listener.publishFailed("news", "Command timed out");
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(1).contains("failed: Command timed out (5 publishes failed since the last report)"), log.get(1));
    }

    /** Events up to the frame's limit (63 MiB) are published, even one that counts more than the queue's bound alone. */
    @Test
    void oneEventBiggerThanTheQueueWaitsAlone() {
        backend.up();
        backend.writable = false; // a 2 MiB event just went out: over Netty's high water mark
        String big = "x".repeat(40 << 20); // 80 MiB as the queue counts it
        client.publish("e", big);
        assertEquals(List.of(), log, "it waits");
        client.publish("e", "small"); // past the bound, with the big one waiting
        assertEquals(1, log.size(), "a drop is told at once");
        backend.writable = true;
        backend.listener.writable();
        assertEquals(1, backend.sent.size());
        assertEquals(List.of("e=big"), backend.sent, "the big one went out");
    }

    @Test
    void aFullBufferHoldsPublishesUntilItDrains() {
        backend.up();
        backend.writable = false;
        client.publish("e", "1");
        client.publish("e", "2");
        assertEquals(List.of(), backend.sent);
        backend.writable = true;
        backend.listener.writable();
        client.publish("e", "3");
        assertEquals(List.of("e=1", "e=2", "e=3"), backend.sent);
        assertEquals(List.of(), log, "a full buffer is no outage");
    }

    @Test
    void pastTheBoundPublishesAreDroppedAndCounted() {
        assertEquals(64L << 20, ChannelClient.QUEUE_BYTES, "this test's JVM has a heap of 512 MiB or more");
        String big = "x".repeat((1 << 20) - 1 - ChannelClient.ENTRY_BYTES / 2); // with its event's name and its entry, 2 MiB as counted
        for (int i = 0; i < 40; i++) {
            client.publish("e", big);
        }
        backend.up();
        assertEquals(32, backend.sent.size(), "64 MiB of 2 MiB events");
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("channel: frame://127.0.0.1:2206 is not connected yet and 64 MiB of events published here wait for it;"
                + " what is published here is dropped until it is connected"), "the first drop is told at once: " + log.get(0));
        assertTrue(log.get(1).startsWith("channel: connected to frame://127.0.0.1:2206; sent the 32"), "not 'again': " + log.get(1));
        assertTrue(log.get(1).contains("sent the 32 events published here meanwhile; 8 more were dropped (over 64 MiB waiting)"), log.get(1));
    }

    /** The queue may hold an eighth of a small heap at most; entries count beside their text. */
    @Test
    void theBoundFitsTheHeap() {
        assertEquals(16L << 20, ChannelClient.queueBytes(128L << 20));
        assertEquals(64L << 20, ChannelClient.queueBytes(4L << 30));
        int small = 0;
        for (; small < 2_000_000 && log.isEmpty(); small++) {
            client.publish("e", "1"); // not connected yet: they wait, until the first drop is told
        }
        backend.up();
        assertEquals(ChannelClient.QUEUE_BYTES / (2 * 2 + ChannelClient.ENTRY_BYTES), backend.sent.size(), "small events count their entries too");
    }

    @Test
    void aStoppingWorkerDoesNotReportItsChannelEnding() {
        backend.up();
        stopping = true;
        backend.down("the server closed the connection");
        assertEquals(List.of(), log);
    }

    @Test
    void eventsReachTheirHandlerOnlyWhileSubscribed() {
        backend.up();
        client.on("news", data -> heard.add(data));
        backend.listener.event("news", "a");
        client.unsubscribe("news");
        backend.listener.event("news", "b");
        assertEquals(List.of("a"), heard);
        assertEquals(List.of("+news", "-news"), backend.subscriptions);
    }

    private final class FakeBackend implements PubSub {
        PubSub.Listener listener;
        boolean connected;
        boolean writable = true;
        final List<String> sent = new ArrayList<>();
        final List<String> subscriptions = new ArrayList<>();

        PubSub listening(PubSub.Listener listener) {
            this.listener = listener;
            return this;
        }

        void up() {
            connected = true;
            listener.connected();
        }

        void down(String cause) {
            now += 5_000_000_000L;
            connected = false;
            listener.disconnected(cause);
        }

        void downBriefly(String cause) {
            now += 100_000_000L;
            connected = false;
            listener.disconnected(cause);
        }

        @Override
        public void start() {}

        @Override
        public boolean isConnected() {
            return connected && writable;
        }

        @Override
        public void subscribe(String event) {
            subscriptions.add("+" + event);
        }

        @Override
        public void unsubscribe(String event) {
            subscriptions.add("-" + event);
        }

        @Override
        public void publish(String event, String data) {
            assertTrue(isConnected(), "published while down");
            sent.add(data.length() > 10 ? event + "=big" : event + "=" + data);
        }
    }
}
