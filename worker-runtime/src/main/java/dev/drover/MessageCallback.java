package dev.drover;

/**
 * {@code onMessage}: a whole package arrived. {@code data} is what the protocol decoded: a
 * {@code String} line for {@code text}, a {@code byte[]} chunk for {@code tcp}, a
 * {@link dev.drover.http.Request} for {@code http}. It may throw any exception.
 */
@FunctionalInterface
public interface MessageCallback {
    void call(Connection connection, Object data) throws Exception;
}
