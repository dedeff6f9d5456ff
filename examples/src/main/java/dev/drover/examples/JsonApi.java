package dev.drover.examples;

import dev.drover.Worker;
import dev.drover.http.Request;
import dev.drover.http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JSON HTTP API: GET /items lists the items, POST /items {"name": "..."} adds one (per worker process). */
public final class JsonApi {
    /** The "name" member's string, its escapes still in it; possessive, so a long one is no deep recursion. */
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");

    private JsonApi() {}

    public static void main(String[] args) {
        List<String> items = new ArrayList<>();
        Worker api = new Worker(System.getProperty("api.listen", "http://0.0.0.0:8081")).setName("api");
        api.onMessage((connection, data) -> {
            Request request = (Request) data;
            if (!request.path().equals("/items")) {
                connection.send(json(404, "{\"error\":" + quote("no such resource: " + request.path()) + "}"));
            } else if (request.method().equals("POST")) {
                Matcher name = NAME.matcher(request.body());
                if (!request.isJson() || !name.find()) {
                    connection.send(json(400, "{\"error\":\"send {\\\"name\\\": \\\"...\\\"} as application/json\"}"));
                    return;
                }
                String added = unescape(name.group(1));
                if (added == null) {
                    connection.send(json(400, "{\"error\":\"the name is not a JSON string\"}"));
                    return;
                }
                items.add(added);
                connection.send(json(201, "{\"id\":" + items.size() + ",\"name\":" + quote(added) + "}"));
            } else {
                connection.send(json(200, "{\"items\":[" + String.join(",", items.stream().map(JsonApi::quote).toList()) + "]}"));
            }
        });
        Worker.runAll(args);
    }

    /** {@code text} as a JSON string, quoted and escaped. */
    static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /** The text of a JSON string's content (between its quotes), or null when an escape in it is not JSON's. */
    static String unescape(String escaped) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char e = ++i < escaped.length() ? escaped.charAt(i) : 'x';
            switch (e) {
                case '"', '\\', '/' -> text.append(e);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    try {
                        text.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException notHex) {
                        return null;
                    }
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return text.toString();
    }

    private static Response json(int status, String body) {
        return new Response(status).header("Content-Type", "application/json").body(body);
    }
}
