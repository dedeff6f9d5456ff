package dev.drover;

/**
 * One client connection of a worker. Every method must be called on the worker's event-loop
 * thread, that is from a callback or a timer, as in Workerman.
 */
public interface Connection {
    /** Sends data encoded by the connection's protocol: a line for text, a 200 text/plain response for http. */
    SendStatus send(String data);

    /** Sends bytes encoded by the connection's protocol. */
    SendStatus send(byte[] data);

    /** Sends a protocol object, e.g. a {@link dev.drover.http.Response}, or a String or byte[]. */
    SendStatus send(Object data);

    /** Flushes what was sent, then closes. */
    void close();

    /** This connection's id, unique within its worker process. */
    long getId();

    /** The peer's IP address, e.g. {@code 127.0.0.1} or {@code ::1}. */
    String getRemoteIp();

    int getRemotePort();

    String getLocalIp();

    int getLocalPort();

    /** The Worker whose listener accepted this connection. */
    Worker getWorker();
}
