package dev.drover.internal.channel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * GlobalData on the embedded server: a plain blocking socket written under a lock, and a reader
 * thread that completes the waiting commands in order (the server answers in order). Usable from
 * the event loop, from other threads and outside a worker. A broken connection fails the commands
 * in flight; the next command connects again.
 */
final class FrameStore implements Store {
    private final ServerAddress address;
    private final int connectTimeoutMillis;
    private final ArrayDeque<CompletableFuture<String>> waiting = new ArrayDeque<>();
    private Socket socket;
    private DataOutputStream out;

    FrameStore(ServerAddress address, int connectTimeoutMillis) {
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public synchronized CompletableFuture<String> call(StoreOp op, List<String> arguments) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        byte[] body = ChannelWire.encode(op.wire, arguments);
        try {
            if (socket == null) {
                connect();
            }
            out.writeInt(body.length + 4);
            out.write(body);
            out.flush();
            waiting.add(reply);
        } catch (IOException e) {
            broken(socket, e);
            reply.completeExceptionally(e);
        }
        return reply;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw new IOException("connect " + address.host() + ":" + address.port() + " failed: " + e.getMessage()
                    + " (is a ChannelServer or GlobalDataServer listening there?)", e);
        }
        socket = s;
        out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream()));
        Thread reader = new Thread(() -> read(s), "drover-globaldata-" + address.port());
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Socket s) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()))) {
            while (true) {
                int length = in.readInt() - 4;
                if (length < 1 || length > FramePubSub.MAX_FRAME) {
                    throw new IOException("the server sent a frame of " + length + " bytes");
                }
                byte[] body = new byte[length];
                in.readFully(body);
                boolean error = ChannelWire.type(body) == ChannelWire.ERROR;
                List<String> fields = ChannelWire.fields(body);
                if (fields.size() != 1) {
                    throw new IOException("the server answered with " + fields.size() + " fields instead of 1");
                }
                CompletableFuture<String> reply;
                synchronized (this) {
                    if (s != socket) {
                        return; // a newer connection took over; what waited here was failed with this one
                    }
                    reply = waiting.poll();
                }
                if (reply == null) {
                    throw new IOException("the server answered a command nobody sent");
                }
                if (error) {
                    reply.completeExceptionally(new IllegalStateException(fields.get(0)));
                } else {
                    reply.complete(fields.get(0));
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                broken(s, e instanceof java.io.EOFException ? new IOException("the server closed the connection") : e);
            }
        }
    }

    /** Closes the connection {@code reply} waits on, if it still does: the next command connects again. */
    @Override
    public synchronized void gaveUp(CompletableFuture<String> reply) {
        if (waiting.contains(reply)) {
            broken(socket, new IOException("an earlier command got no answer in time; its connection was closed"));
        }
    }

    /** Fails what waits on {@code s} and forgets it, if it is still the current socket. */
    private void broken(Socket s, Exception cause) {
        if (s == null || s != socket) {
            return;
        }
        socket = null;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket
        }
        for (CompletableFuture<String> reply; (reply = waiting.poll()) != null; ) {
            reply.completeExceptionally(cause);
        }
    }
}
