package dev.drover.master.os;

/**
 * What one {@code recvmsg} returned: the bytes read and the descriptors that came with them.
 * Zero bytes and no descriptors means the peer closed its end.
 */
public record Received(byte[] data, int[] fds) {
    public boolean endOfStream() {
        return data.length == 0 && fds.length == 0;
    }
}
