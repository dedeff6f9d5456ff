package dev.drover.internal;

import dev.drover.Connection;
import java.lang.reflect.Proxy;

/** A Connection for codec tests: only its limits answer. */
final class StubConnection {
    private StubConnection() {}

    static Connection withMaxPackageSize(int max) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMaxPackageSize" -> max;
                    case "toString" -> "stub connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
