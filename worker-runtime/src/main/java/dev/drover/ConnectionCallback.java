package dev.drover;

/** A callback about a connection ({@code onConnect}, {@code onClose}); it may throw any exception. */
@FunctionalInterface
public interface ConnectionCallback {
    void call(Connection connection) throws Exception;
}
