package dev.drover.internal.channel;

/**
 * A connection to a publish/subscribe backend that reconnects by itself and keeps its
 * subscriptions across reconnects. Used on the worker's event loop; its listener is called there.
 */
interface PubSub {
    void start();

    boolean isConnected();

    void subscribe(String event);

    void unsubscribe(String event);

    /** Sends now; the caller queues what it publishes while {@link #isConnected} is false (down, or its buffer full). */
    void publish(String event, String data);

    interface Listener {
        void event(String event, String data);

        void connected();

        void disconnected(String cause);

        /** The backend takes publishes again after refusing more for a while (its buffer was full). */
        void writable();

        /** The backend took a publish to {@code event} and then failed it ({@code cause}): it is not sent again. */
        void publishFailed(String event, String cause);
    }
}
