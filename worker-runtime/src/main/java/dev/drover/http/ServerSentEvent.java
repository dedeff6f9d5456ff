package dev.drover.http;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: send {@code new Response(200).header("Content-Type", "text/event-stream")}
 * first, then events, as Workerman's {@code ServerSentEvents}.
 *
 * @param event the event name, or null
 * @param data the data (several lines, ended by LF, CR or CRLF, become several {@code data:}
 *     lines), or null for an event without data (a retry alone, say), which browsers do not dispatch
 * @param id the event id, or null
 * @param retry the reconnection time in milliseconds, or 0
 * @throws IllegalArgumentException for an event name or id with a line break, which would add fields
 */
public record ServerSentEvent(String event, String data, String id, long retry) {
    public ServerSentEvent {
        oneLine("event", event);
        oneLine("id", id);
    }

    public ServerSentEvent(String data) {
        this(null, data, null, 0);
    }

    private static void oneLine(String field, String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("a server-sent event's " + field + " is one line; '"
                    + value.replace("\r", "\\r").replace("\n", "\\n") + "' would add fields to the event");
        }
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
        if (data != null) {
            for (String line : data.split("\r\n|\r|\n", -1)) { // a CR alone ends a line too, for the browser
                out.append("data: ").append(line).append('\n');
            }
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
