package dev.drover;

/** {@code onError}: a connection failed ({@link Connection#CONNECT_FAIL}, {@link Connection#SEND_FAIL}). */
@FunctionalInterface
public interface ErrorCallback {
    void call(Connection connection, int code, String message) throws Exception;
}
