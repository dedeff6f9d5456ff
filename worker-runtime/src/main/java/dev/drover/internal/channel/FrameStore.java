package dev.drover.internal.channel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * GlobalData on the embedded server: a plain blocking socket written under a lock, and a reader
 * thread that completes the waiting commands in order (the server answers in order). Usable from
 * the event loop, from other threads and outside a worker. A broken connection fails the commands
 * in flight; the next command connects again.
 */
final class FrameStore implements Store {
    private final ServerAddress address;
    private final int connectTimeoutMillis;
    /** Changed under the lock; read without it by {@link #gaveUp}. */
    private final ConcurrentLinkedDeque<CompletableFuture<String>> waiting = new ConcurrentLinkedDeque<>();
    /** Written under the lock; read without it by {@link #gaveUp}, which must not wait for a writer stuck in the lock. */
    private volatile Socket socket;
    private DataOutputStream out;
    /** When the reader last took a frame (or the connection was made): a server that answers anything is alive. */
    private volatile long lastReadNanos;
    /** Why {@link #gaveUp} closed the socket, for the commands its closing fails. */
    private volatile String givenUp;

    FrameStore(ServerAddress address, int connectTimeoutMillis) {
        this.address = address;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public synchronized CompletableFuture<String> call(StoreOp op, List<String> arguments) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        byte[] body = ChannelWire.encode(op.wire, arguments);
        try {
            if (socket != null && socket.isClosed()) { // gaveUp closed it, and its reader has not seen it yet: not written to
                broken(socket, new IOException(givenUp != null ? givenUp : "the connection was closed"));
            }
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
            KeepAlive.on(s);
            s.connect(new InetSocketAddress(address.host(), address.port()), connectTimeoutMillis);
        } catch (IOException e) {
            s.close();
            throw new IOException("connect " + address.host() + ":" + address.port() + " failed: " + e.getMessage()
                    + " (is a ChannelServer or GlobalDataServer listening there?)", e);
        }
        socket = s;
        lastReadNanos = System.nanoTime();
        givenUp = null;
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
                lastReadNanos = System.nanoTime();
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
            String why = givenUp;
            synchronized (this) {
                broken(s, why != null ? new IOException(why) : e instanceof java.io.EOFException ? new IOException("the server closed the connection") : e);
            }
        }
    }

    /**
     * Closes the connection when it answered nothing for {@code waitedNanos} and no command written
     * before {@code reply} still waits within its own bound: the reader fails what waits on it, a
     * writer stuck on it is freed, and the next command connects again.
     */
    @Override
    public void gaveUp(CompletableFuture<String> reply, long waitedNanos) {
        Socket s = socket;
        long silentNanos = System.nanoTime() - lastReadNanos;
        if (s != null && silentNanos >= waitedNanos && nothingBefore(reply)) {
            givenUp = "the server answered nothing for " + silentNanos / 1_000_000 + " ms; the connection was closed, and the next command"
                    + " connects again";
            try {
                s.close();
            } catch (IOException ignored) {
                // the reader fails what waits on it either way
            }
        }
    }

    /** Whether a connection is open, not closed by {@link #gaveUp}. */
    boolean open() {
        Socket s = socket;
        return s != null && !s.isClosed();
    }

    /** Whether every command written before {@code reply} was answered or given up on: the silence is then {@code reply}'s. */
    private boolean nothingBefore(CompletableFuture<String> reply) {
        for (CompletableFuture<String> earlier : waiting) {
            if (earlier == reply) {
                return true;
            }
            if (!earlier.isDone()) {
                return false; // the server answers in order: it may still be at work on that one
            }
        }
        return true; // not waiting here: its connection is gone already
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
