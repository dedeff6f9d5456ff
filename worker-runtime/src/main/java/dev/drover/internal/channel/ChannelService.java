package dev.drover.internal.channel;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the embedded channel server does, apart from sockets: subscriptions by event, the
 * GlobalData values, and the answer to each message. One instance per server process, used on its
 * event loop only. {@code S} is a subscriber (a connection); {@code send} delivers a body to one.
 */
public final class ChannelService<S> {
    private final Map<String, Set<S>> subscribers = new HashMap<>();
    private final Map<S, Set<String>> subscriptions = new HashMap<>();
    private final Map<String, String> values = new HashMap<>();
    private final BiConsumer<S, byte[]> send;

    public ChannelService(BiConsumer<S, byte[]> send) {
        this.send = send;
    }

    /** Acts on one message from {@code from}; a malformed one throws IllegalArgumentException. */
    public void handle(S from, byte[] body) {
        byte type = ChannelWire.type(body);
        if (type == ChannelWire.PUBLISH) {
            publish(body);
            return;
        }
        List<String> fields = ChannelWire.fields(body);
        switch (type) {
            case ChannelWire.SUBSCRIBE -> fields.forEach(event -> subscribe(from, required(event, "event")));
            case ChannelWire.UNSUBSCRIBE -> fields.forEach(event -> unsubscribe(from, required(event, "event")));
            default -> send.accept(from, answer(type, fields));
        }
    }

    /** {@code subscriber} is gone: it hears nothing more. */
    public void gone(S subscriber) {
        Set<String> events = subscriptions.remove(subscriber);
        if (events != null) {
            events.forEach(event -> removeSubscriber(event, subscriber));
        }
    }

    public int subscriberCount(String event) {
        return subscribers.getOrDefault(event, Set.of()).size();
    }

    private void subscribe(S subscriber, String event) {
        subscribers.computeIfAbsent(event, e -> new LinkedHashSet<>()).add(subscriber);
        subscriptions.computeIfAbsent(subscriber, s -> new LinkedHashSet<>()).add(event);
    }

    private void unsubscribe(S subscriber, String event) {
        Set<String> events = subscriptions.get(subscriber);
        if (events != null && events.remove(event)) {
            removeSubscriber(event, subscriber);
        }
    }

    private void removeSubscriber(String event, S subscriber) {
        Set<S> set = subscribers.get(event);
        if (set != null && set.remove(subscriber) && set.isEmpty()) {
            subscribers.remove(event);
        }
    }

    /**
     * An event is its publish with the type byte changed (same fields, same layout): the data is
     * passed on as it came, never decoded. Only the event's name is read.
     */
    private void publish(byte[] body) {
        Set<S> to = subscribers.get(required(ChannelWire.first(body, 2), "event"));
        if (to != null) {
            byte[] event = body.clone();
            event[0] = ChannelWire.EVENT;
            for (S subscriber : List.copyOf(to)) { // a failed send may end a subscription
                send.accept(subscriber, event);
            }
        }
    }

    private byte[] answer(byte type, List<String> fields) {
        StoreOp op = StoreOp.ofWire(type);
        if (op == null) {
            throw new IllegalArgumentException("unknown channel message type '" + (char) type + "'");
        }
        try {
            return ChannelWire.encode(ChannelWire.REPLY, apply(op, arguments(type, fields, op.arguments)));
        } catch (IllegalStateException refused) {
            return ChannelWire.encode(ChannelWire.ERROR, refused.getMessage());
        }
    }

    /** One GlobalData command on the values; IllegalStateException for one that cannot be done. */
    private String apply(StoreOp op, List<String> a) {
        String key = required(a.get(0), "key");
        return switch (op) {
            case GET -> values.get(key);
            case SET -> {
                values.put(key, required(a.get(1), "value"));
                yield "OK";
            }
            case ADD -> values.putIfAbsent(key, required(a.get(1), "value")) == null ? "1" : null;
            case INCREMENT -> {
                String next;
                try {
                    next = Long.toString(Math.addExact(integer(key, values.get(key)), integer(key, a.get(1))));
                } catch (ArithmeticException overflow) {
                    throw new IllegalStateException("incrementing '" + key + "' by " + a.get(1) + " overflows a 64-bit integer");
                }
                values.put(key, next);
                yield next;
            }
            case CAS -> {
                boolean matches = Objects.equals(values.get(key), a.get(1));
                if (matches) {
                    values.put(key, required(a.get(2), "value"));
                }
                yield matches ? "1" : null;
            }
            case DELETE -> values.remove(key) != null ? "1" : null;
        };
    }

    private static long integer(String key, String value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the value of '" + key + "' is not an integer: " + abbreviated(value));
        }
    }

    private static String abbreviated(String value) {
        return value.length() <= 40 ? "'" + value + "'" : "'" + value.substring(0, 40) + "...' (" + value.length() + " chars)";
    }

    private static List<String> arguments(byte type, List<String> fields, int count) {
        if (fields.size() != count) {
            throw new IllegalArgumentException("channel message '" + (char) type + "' needs " + count + " fields, got " + fields.size());
        }
        return fields;
    }

    private static String required(String field, String what) {
        if (field == null) {
            throw new IllegalArgumentException("channel message without its " + what);
        }
        return field;
    }
}
