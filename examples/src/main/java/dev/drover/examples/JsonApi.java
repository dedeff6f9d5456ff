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
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private JsonApi() {}

    public static void main(String[] args) {
        List<String> items = new ArrayList<>();
        Worker api = new Worker(System.getProperty("api.listen", "http://0.0.0.0:8081")).setName("api");
        api.onMessage((connection, data) -> {
            Request request = (Request) data;
            if (!request.path().equals("/items")) {
                connection.send(json(404, "{\"error\":\"no such resource: " + request.path() + "\"}"));
            } else if (request.method().equals("POST")) {
                Matcher name = NAME.matcher(request.body());
                if (!request.isJson() || !name.find()) {
                    connection.send(json(400, "{\"error\":\"send {\\\"name\\\": \\\"...\\\"} as application/json\"}"));
                    return;
                }
                items.add(name.group(1));
                connection.send(json(201, "{\"id\":" + items.size() + ",\"name\":\"" + name.group(1) + "\"}"));
            } else {
                connection.send(json(200, "{\"items\":[" + String.join(",", items.stream().map(i -> "\"" + i + "\"").toList()) + "]}"));
            }
        });
        Worker.runAll(args);
    }

    private static Response json(int status, String body) {
        return new Response(status).header("Content-Type", "application/json").body(body);
    }
}
