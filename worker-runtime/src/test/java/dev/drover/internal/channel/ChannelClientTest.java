package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelClientTest {
    private final List<String> log = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private boolean stopping;
    private final FakeBackend backend = new FakeBackend();
    private final ChannelClient client = new ChannelClient(
            new ChannelClient.Host(log::add, () -> stopping, (name, task) -> {
                try {
                    task.run();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }),
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
        String big = "x".repeat((1 << 20) - 1); // with its event's name, 2 MiB as counted (2 bytes a char)
        for (int i = 0; i < 40; i++) {
            client.publish("e", big);
        }
        backend.up();
        assertEquals(32, backend.sent.size(), "64 MiB of 2 MiB events");
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).contains("sent the 32 events published here meanwhile; 8 more were dropped (over 64 MiB waiting)"), log.get(0));
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

    private static final class FakeBackend implements PubSub {
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
