package dev.drover.examples;

import dev.drover.Channel;
import dev.drover.ChannelServer;
import dev.drover.Connection;
import dev.drover.Timer;
import dev.drover.Worker;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The push service on several processes (and hosts): browsers spread over {@code count} websocket
 * workers, pushes arrive at any of {@code count} text workers, and the {@link Channel} carries each
 * push to every websocket worker; the one holding the uid delivers it and acknowledges on the
 * sending worker's own event. The sender gets "ok" once a holder acknowledged, "fail" when none
 * did within {@code push.ackTimeout} seconds (default 2), answers in the order it sent its lines.
 * With a host:port channel this program runs the {@link ChannelServer} too; with redis://, Redis
 * connects the hosts.
 */
final class PushCluster {
    private PushCluster() {}

    static void declare(int count, String channel) {
        if (!channel.startsWith("redis://") && !channel.startsWith("rediss://")) {
            new ChannelServer(channel);
        }
        browsers(count, channel);
        senders(count, channel, Double.parseDouble(System.getProperty("push.ackTimeout", "2")));
        Push.page();
    }

    /** The websocket workers: each holds some browsers and delivers the pushes for them. */
    private static void browsers(int count, String channel) {
        Map<String, Connection> browsers = new HashMap<>();
        Worker push = new Worker(System.getProperty("push.websocket", "websocket://0.0.0.0:1234"));
        push.setName("push").setCount(count);
        push.onMessage((connection, uid) -> Push.register(browsers, connection, uid,
                " on push worker " + connection.getWorker().getId()));
        push.onClose(connection -> Push.forget(browsers, connection));
        push.onWorkerStart(worker -> {
            Channel.connect(channel);
            Channel.on("push", data -> {
                String[] fields = data.split("\n", 4); // uid, percent, the sender's event, the push's id
                Connection browser = browsers.get(fields[0]);
                if (browser != null) {
                    browser.send(fields[1]);
                    Channel.publish(fields[2], fields[3]);
                }
            });
        });
    }

    /** The text workers: each publishes the pushes it is sent and answers its senders. */
    private static void senders(int count, String channel, double ackTimeout) {
        Map<Long, Pending> byId = new HashMap<>();
        ArrayDeque<Long> unanswered = new ArrayDeque<>(); // ids in the order sent: the oldest times out first
        Map<Connection, ArrayDeque<Pending>> bySender = new HashMap<>();
        String[] acks = new String[1];
        long[] lastId = new long[1];
        Worker text = new Worker(System.getProperty("push.text", "text://0.0.0.0:5678"));
        text.setName("push-text").setCount(count);
        text.onWorkerStart(worker -> {
            acks[0] = "push-ack-" + UUID.randomUUID();
            Channel.connect(channel);
            Channel.on(acks[0], id -> answer(byId.remove(Long.parseLong(id)), "ok", bySender));
            // One sweep a tenth of the timeout apart instead of a timer per push.
            Timer.add(ackTimeout / 10, () -> {
                long now = System.nanoTime();
                while (!unanswered.isEmpty()) {
                    Pending oldest = byId.get(unanswered.peek());
                    if (oldest != null && oldest.deadline > now) {
                        break;
                    }
                    answer(byId.remove(unanswered.poll()), "fail", bySender);
                }
            });
        });
        text.onMessage((sender, line) -> {
            Map<String, String> message = Push.parse((String) line);
            Pending pending = new Pending(sender, System.nanoTime() + (long) (ackTimeout * 1e9));
            bySender.computeIfAbsent(sender, s -> new ArrayDeque<>()).add(pending);
            if (!message.containsKey("uid") || !message.containsKey("percent")) {
                answer(pending, "fail", bySender);
                return;
            }
            long id = ++lastId[0];
            byId.put(id, pending);
            unanswered.add(id);
            Channel.publish("push", message.get("uid") + "\n" + message.get("percent") + "\n" + acks[0] + "\n" + id);
        });
        text.onClose(sender -> bySender.remove(sender));
    }

    /** Settles {@code pending} (null: settled already) and sends every settled answer at the head of its sender's line. */
    private static void answer(Pending pending, String answer, Map<Connection, ArrayDeque<Pending>> bySender) {
        if (pending == null) {
            return;
        }
        pending.answer = answer;
        ArrayDeque<Pending> line = bySender.get(pending.sender);
        while (line != null && !line.isEmpty() && line.peek().answer != null) {
            pending.sender.send(line.poll().answer);
        }
    }

    private static final class Pending {
        final Connection sender;
        final long deadline;
        String answer;

        Pending(Connection sender, long deadline) {
            this.sender = sender;
            this.deadline = deadline;
        }
    }
}
