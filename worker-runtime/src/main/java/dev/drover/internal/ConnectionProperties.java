package dev.drover.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * What an application keeps on a connection ({@link dev.drover.Connection#put}), as Workerman code
 * sets {@code $connection->uid}: a map made at the first put, so a connection that keeps nothing
 * costs one field.
 */
public final class ConnectionProperties {
    private Map<String, Object> values;

    /** Stores {@code value} under {@code name}; null removes it. */
    public void put(String name, Object value) {
        if (name == null) {
            throw new IllegalArgumentException("a connection property needs a name");
        }
        if (value == null) {
            if (values != null) {
                values.remove(name);
            }
            return;
        }
        if (values == null) {
            values = new HashMap<>(4);
        }
        values.put(name, value);
    }

    /** What is stored under {@code name}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        return values == null ? null : (T) values.get(name);
    }
}
