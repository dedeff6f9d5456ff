package dev.drover.internal;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The worker's end of its control channel (fd 3, a blocking Unix stream socket), read and written
 * with the native calls Netty's epoll transport already brings. The worker's start path needs
 * nothing else native, so it does not load the OS seam's jffi and libc functions unless the
 * group's {@code user} or a {@code listen()} in {@code onWorkerStart} asks for it.
 *
 * <p>Reading is for one thread at a time (the handoff, then {@link ControlReader}); writes are
 * serialised here.
 */
final class ControlSocket {
    private final int fd;
    private final Socket socket;
    private final ByteBuffer in = ByteBuffer.allocateDirect(4096);
    private ByteBuffer out = ByteBuffer.allocateDirect(1024);
    private volatile boolean inputShut;

    ControlSocket(int fd) {
        Epoll.ensureAvailability();
        this.fd = fd;
        this.socket = new Socket(fd);
    }

    int fd() {
        return fd;
    }

    /** Reads up to {@code into.length} (at most 4096) bytes; -1 at the end of the stream. */
    int read(byte[] into) {
        int count;
        try {
            count = socket.read(in, 0, Math.min(into.length, in.capacity()));
        } catch (IOException e) {
            throw new UncheckedIOException("read on the control channel (fd " + fd + ") failed: " + e.getMessage(), e);
        }
        if (count == 0) { // EAGAIN: the channel is blocking unless something changed it
            throw new IllegalStateException("read on the control channel (fd " + fd + ") would block");
        }
        if (count > 0) {
            in.get(0, into, 0, count);
        }
        return count;
    }

    /** The next descriptor the master sent (one per one-byte message); -1 at the end of the stream. */
    int receiveFd() {
        try {
            int fd = socket.recvFd();
            if (fd == 0) {
                throw new IllegalStateException("no descriptor in the master's message on fd " + this.fd);
            }
            return fd;
        } catch (IOException e) {
            throw new UncheckedIOException("recvmsg on the control channel (fd " + fd + ") failed: " + e.getMessage(), e);
        }
    }

    /**
     * Ends reading: a read blocked in the kernel returns the end of the stream. A JVM exits only
     * once no thread is in a native call, or after 300 ms of waiting for them: a worker whose
     * control reader still sat in its read took that much longer to exit on every stop.
     */
    void shutdownInput() {
        inputShut = true;
        try {
            socket.shutdown(true, false);
        } catch (IOException e) {
            // the master closed it already: the read has ended
        }
    }

    /** Whether {@link #shutdownInput} ended the reading (not the master). */
    boolean inputShut() {
        return inputShut;
    }

    /** Sends the master {@code descriptor}, attached to a one-byte message (a NUL), blocking. */
    synchronized void sendFd(int descriptor) {
        try {
            if (socket.sendFd(descriptor) <= 0) {
                throw new IOException("sendmsg sent nothing");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sendmsg of fd " + descriptor + " on the control channel (fd " + fd + ") failed: " + e.getMessage(), e);
        }
    }

    /** Writes all of {@code bytes}, blocking. */
    synchronized void write(byte[] bytes) {
        if (out.capacity() < bytes.length) {
            out = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes.length) * 2);
        }
        out.clear();
        out.put(0, bytes);
        int offset = 0;
        while (offset < bytes.length) {
            try {
                offset += socket.write(out, offset, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException("write on the control channel (fd " + fd + ") failed: " + e.getMessage(), e);
            }
        }
    }
}
