package dev.drover.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelServiceTest {
    private final List<String> heard = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final ChannelService<String> service = new ChannelService<>((to, body) -> {
        heard.add(to + " " + (char) body[0] + " " + ChannelWire.fields(body));
        bodies.add(body);
    });

    @Test
    void anEventReachesEverySubscriberOfItAndNobodyElse() {
        service.handle("a", ChannelWire.encode(ChannelWire.SUBSCRIBE, "news", "sport"));
        service.handle("b", ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
        service.handle("c", ChannelWire.encode(ChannelWire.PUBLISH, "news", "hello"));
        service.handle("c", ChannelWire.encode(ChannelWire.PUBLISH, "weather", "rain"));
        assertEquals(List.of("a e [news, hello]", "b e [news, hello]"), heard);
    }

    @Test
    void anEventIsItsPublishWithAnotherType() {
        service.handle("a", ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
        byte[] publish = ChannelWire.encode(ChannelWire.PUBLISH, "news", "é");
        service.handle("c", publish);
        byte[] event = bodies.get(0);
        assertEquals('e', (char) event[0]);
        assertEquals(Arrays.toString(Arrays.copyOfRange(publish, 1, publish.length)), Arrays.toString(Arrays.copyOfRange(event, 1, event.length)));
        assertThrows(IllegalArgumentException.class, () -> service.handle("c", ChannelWire.encode(ChannelWire.PUBLISH, "news", "a", "b")));
    }

    @Test
    void unsubscribedAndGoneSubscribersHearNothingMore() {
        service.handle("a", ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
        service.handle("b", ChannelWire.encode(ChannelWire.SUBSCRIBE, "news"));
        service.handle("a", ChannelWire.encode(ChannelWire.UNSUBSCRIBE, "news"));
        service.gone("b");
        service.handle("c", ChannelWire.encode(ChannelWire.PUBLISH, "news", "hello"));
        assertEquals(List.of(), heard);
        assertEquals(0, service.subscriberCount("news"));
    }

    @Test
    void valuesAnswerLikeRedis() {
        assertEquals(null, ask(StoreOp.GET, "k"));
        assertEquals("1", ask(StoreOp.ADD, "k", "a"));
        assertEquals(null, ask(StoreOp.ADD, "k", "b"));
        assertEquals("a", ask(StoreOp.GET, "k"));
        assertEquals(null, ask(StoreOp.CAS, "k", "x", "c"));
        assertEquals("1", ask(StoreOp.CAS, "k", "a", "c"));
        assertEquals("OK", ask(StoreOp.SET, "k", "d"));
        assertEquals("d", ask(StoreOp.GET, "k"));
        assertEquals("1", ask(StoreOp.DELETE, "k"));
        assertEquals(null, ask(StoreOp.DELETE, "k"));
        assertEquals("1", ask(StoreOp.CAS, "k", null, "new"), "null expected: set only if absent");
        assertEquals("5", ask(StoreOp.INCREMENT, "n", "5"));
        assertEquals("3", ask(StoreOp.INCREMENT, "n", "-2"));
    }

    @Test
    void incrementingTextOrPastLongMaxIsAnErrorNotACrash() {
        ask(StoreOp.SET, "t", "hello");
        assertEquals("x [the value of 't' is not an integer: 'hello']", lastAnswer(StoreOp.INCREMENT, "t", "1"));
        ask(StoreOp.SET, "m", Long.toString(Long.MAX_VALUE));
        assertEquals("x [incrementing 'm' by 1 overflows a 64-bit integer]", lastAnswer(StoreOp.INCREMENT, "m", "1"));
    }

    @Test
    void malformedMessagesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> service.handle("a", new byte[] {'?'}));
        assertThrows(IllegalArgumentException.class, () -> service.handle("a", ChannelWire.encode(ChannelWire.PUBLISH, "only")));
        assertThrows(IllegalArgumentException.class, () -> service.handle("a", ChannelWire.encode((byte) 'g', (String) null)));
    }

    /** The value of a reply ('r'). */
    private String ask(StoreOp op, String... arguments) {
        byte[] reply = answer(op, arguments);
        assertEquals('r', (char) reply[0], heard.get(heard.size() - 1));
        return ChannelWire.fields(reply).get(0);
    }

    private String lastAnswer(StoreOp op, String... arguments) {
        answer(op, arguments);
        return heard.get(heard.size() - 1).substring(3);
    }

    private byte[] answer(StoreOp op, String... arguments) {
        service.handle("me", ChannelWire.encode(op.wire, Arrays.asList(arguments)));
        return bodies.get(bodies.size() - 1);
    }
}
