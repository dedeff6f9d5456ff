package dev.drover.master.os;

/**
 * What one {@code recvmsg} returned: the bytes read and the descriptors that came with them.
 * Zero bytes and no descriptors means the peer closed its end, unless {@code wouldBlock}: a
 * non-blocking socket had nothing yet.
 */
public record Received(byte[] data, int[] fds, boolean wouldBlock) {
    static final Received NOTHING_YET = new Received(new byte[0], new int[0], true);

    public Received(byte[] data, int[] fds) {
        this(data, fds, false);
    }

    public boolean endOfStream() {
        return !wouldBlock && data.length == 0 && fds.length == 0;
    }
}
