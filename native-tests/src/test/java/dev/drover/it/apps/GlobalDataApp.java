package dev.drover.it.apps;

import dev.drover.ChannelServer;
import dev.drover.GlobalData;
import dev.drover.GlobalDataException;
import dev.drover.Worker;
import dev.drover.http.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * GlobalData from several processes. app.store is the address (host:port runs a ChannelServer
 * there too, redis://... uses Redis). Four "counter" workers each add 1 to "hits" 1,000 times
 * (500 blocking, 500 async in flight together), then add 1 to "done". On app.http: GET /get?key=K
 * answers the value ("null" for none), GET /script runs every command once and answers the results. With app.brokenIf, a
 * counter whose file exists as it starts throws (a restart's new build that cannot start). As it stops, a counter
 * adds 1 to "stopped" and logs "counter onWorkerStop: stopped=N" (or why it failed).
 */
public final class GlobalDataApp {
    private GlobalDataApp() {}

    public static void main(String[] args) {
        String store = System.getProperty("app.store");
        if (!store.startsWith("redis://")) {
            new ChannelServer(store);
        }
        Worker counters = new Worker().setName("counter").setCount(4);
        counters.onWorkerStart(w -> {
            if (System.getProperty("app.brokenIf") != null && java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("app.brokenIf")))) {
                throw new IllegalStateException("broken on purpose: " + System.getProperty("app.brokenIf") + " exists");
            }
            GlobalData data = new GlobalData(store);
            for (int i = 0; i < 500; i++) {
                data.increment("hits");
            }
            List<CompletableFuture<Long>> inFlight = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                inFlight.add(data.incrementAsync("hits", 1));
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).thenRun(() -> data.increment("done"));
        });
        counters.onWorkerStop(w -> {
            try {
                Worker.log("counter onWorkerStop: stopped=" + new GlobalData(store).increment("stopped"));
            } catch (GlobalDataException e) {
                Worker.log("counter onWorkerStop failed: " + e.getMessage());
            }
        });
        GlobalData shared = new GlobalData(store); // in main, as Workerman's examples do: each worker process makes its own
        Worker http = new Worker(System.getProperty("app.http")).setName("http");
        http.onMessage((connection, message) -> {
            Request request = (Request) message;
            connection.send(request.path().equals("/script") ? script(shared) : String.valueOf(shared.get(request.query("key").orElse(""))));
        });
        Worker.runAll(args);
    }

    private static String script(GlobalData data) {
        List<Object> results = new ArrayList<>();
        results.add(data.delete("k"));
        results.add(data.add("k", "a"));
        results.add(data.add("k", "b"));
        results.add(data.get("k"));
        results.add(data.cas("k", "x", "c"));
        results.add(data.compareAndSet("k", "a", "c"));
        results.add(data.get("k"));
        results.add(data.cas("absent", null, "new"));
        results.add(data.delete("absent"));
        data.set("k", 5);
        results.add(data.increment("k", 2));
        data.set("text", "hello");
        try {
            data.increment("text");
            results.add("incremented text");
        } catch (GlobalDataException e) {
            results.add("refused");
        }
        results.add(data.delete("k"));
        results.add(data.get("k"));
        return results.toString();
    }
}
