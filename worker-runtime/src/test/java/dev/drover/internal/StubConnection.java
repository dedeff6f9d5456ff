package dev.drover.internal;

import dev.drover.Connection;
import java.lang.reflect.Proxy;

/** A Connection for codec tests: only its limits answer. */
final class StubConnection {
    private StubConnection() {}

    /** The worker a stub connection belongs to: a websocket:// one with drover's defaults. */
    private static final dev.drover.Worker WORKER = new dev.drover.Worker("websocket://127.0.0.1:0");

    static Connection withMaxPackageSize(int max) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMaxPackageSize" -> max;
                    case "getWorker" -> WORKER;
                    case "toString" -> "stub connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
