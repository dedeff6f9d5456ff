package dev.drover.internal.channel;

import dev.drover.Connection;
import dev.drover.SendStatus;
import dev.drover.Worker;
import dev.drover.internal.SharedState;
import dev.drover.internal.WorkerRuntime;

/** Makes a {@code frame://} Worker the embedded channel and GlobalData server (count 1, not reloaded). */
public final class ServerSide {
    /** Subscribers are workers on this host or the next: let a slow one buffer more than a browser may. */
    private static final int SEND_BUFFER = 64 << 20;

    private ServerSide() {}

    /**
     * An event that does not fit a subscriber's buffer is dropped (onBufferFull says so); a reply
     * that does not fit closes the connection instead, since the client pairs replies by order.
     */
    private static void send(Connection connection, byte[] body) {
        if (connection.send(body) == SendStatus.FAILED) {
            if (body[0] != ChannelWire.EVENT) {
                connection.destroy();
            } else {
                Long dropped = connection.get(DROPPED);
                connection.put(DROPPED, dropped == null ? 1L : dropped + 1);
            }
        }
    }

    /** A slow subscriber's events dropped since its buffer filled, kept on its connection. */
    private static final String DROPPED = "drover.channel.dropped";

    public static Worker serve(Worker worker, String name) {
        if (!"frame".equals(worker.getListenAddress().protocol())) {
            throw new IllegalArgumentException(name + " listens on frame://host:port, not " + worker.getListen());
        }
        ChannelService<Connection> service = new ChannelService<>(ServerSide::send);
        worker.setName(name).setCount(1).setReloadable(false);
        SharedState.heldBy(worker);
        worker.onConnect(connection -> connection.setMaxSendBufferSize(SEND_BUFFER).setMaxPackageSize(SEND_BUFFER));
        worker.onMessage((connection, body) -> {
            try {
                service.handle(connection, (byte[]) body);
            } catch (IllegalArgumentException malformed) {
                WorkerRuntime.current().log(name + ": closing " + connection.getRemoteAddress() + ", which sent a malformed message: "
                        + malformed.getMessage());
                connection.destroy();
            }
        });
        worker.onBufferFull(connection -> WorkerRuntime.current().log(name + ": subscriber " + connection.getRemoteAddress()
                + " reads too slowly; events to it are dropped until it catches up"));
        worker.onBufferDrain(connection -> {
            Long dropped = connection.get(DROPPED);
            connection.put(DROPPED, null);
            WorkerRuntime.current().log(name + ": subscriber " + connection.getRemoteAddress() + " caught up; "
                    + (dropped == null ? "no" : dropped) + " events to it were dropped meanwhile");
        });
        worker.onClose(connection -> service.gone(connection));
        return worker;
    }
}
