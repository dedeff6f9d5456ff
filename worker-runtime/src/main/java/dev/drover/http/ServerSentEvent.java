package dev.drover.http;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: send {@code new Response(200).header("Content-Type", "text/event-stream")}
 * first, then events, as Workerman's {@code ServerSentEvents}.
 *
 * @param event the event name, or null
 * @param data the data (several lines become several {@code data:} lines)
 * @param id the event id, or null
 * @param retry the reconnection time in milliseconds, or 0
 */
public record ServerSentEvent(String event, String data, String id, long retry) {
    public ServerSentEvent(String data) {
        this(null, data, null, 0);
    }

    /** The event as it goes on the wire, ending with a blank line. */
    public byte[] encode() {
        StringBuilder out = new StringBuilder();
        if (event != null) {
            out.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        if (retry > 0) {
            out.append("retry: ").append(retry).append('\n');
        }
        for (String line : (data == null ? "" : data).split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
