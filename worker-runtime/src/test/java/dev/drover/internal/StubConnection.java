package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.Worker;
import java.lang.reflect.Proxy;

/** A Connection for codec tests: only its limits answer. */
final class StubConnection {
    private StubConnection() {}

    /** The worker a stub connection belongs to: a websocket:// one that agrees to compression, with drover's other defaults. */
    private static final Worker WORKER = new Worker("websocket://127.0.0.1:0").setWebSocketCompression(true);

    static Connection withMaxPackageSize(int max) {
        return of(WORKER, max);
    }

    static Connection of(Worker worker, int maxPackageSize) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMaxPackageSize" -> maxPackageSize;
                    case "getWorker" -> worker;
                    case "toString" -> "stub connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
