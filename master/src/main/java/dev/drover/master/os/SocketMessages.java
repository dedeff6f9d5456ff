package dev.drover.master.os;

import static dev.drover.master.os.LinuxAbi.SCM_RIGHTS;
import static dev.drover.master.os.LinuxAbi.SOL_SOCKET;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct msghdr} with one {@code iovec} and {@code SCM_RIGHTS} control data, in native
 * memory, for {@code sendmsg} and {@code recvmsg}. The layouts are the Linux LP64 ABI, the same on
 * x86_64 and arm64 (the platforms drover supports): msghdr is name (8), namelen (4 + 4 padding),
 * iov (8), iovlen (8), control (8), controllen (8), flags (4 + 4); iovec is base (8), len (8);
 * cmsghdr is len (8), level (4), type (4), then the data, each message padded to 8 bytes.
 */
final class SocketMessages {
    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int IOVEC_SIZE = 16;
    private static final int CMSG_HEADER = 16;

    private SocketMessages() {}

    /** One message in C memory: the msghdr (with its iovec) and the buffers it points to, freed by {@link #close}. */
    static final class Message implements AutoCloseable {
        final NativeMemory header;
        final NativeMemory data;
        final NativeMemory control;

        private Message(NativeMemory header, NativeMemory data, NativeMemory control) {
            this.header = header;
            this.data = data;
            this.control = control;
        }

        long address() {
            return header.address();
        }

        /** The descriptors of the SCM_RIGHTS messages a {@code recvmsg} filled in. */
        List<Integer> receivedFds() {
            long filled = Math.min(header.getLong(MSG_CONTROLLEN), control == null ? 0 : control.size());
            List<Integer> fds = new ArrayList<>();
            int level = SOL_SOCKET;
            int rights = SCM_RIGHTS;
            for (long at = 0; at + CMSG_HEADER <= filled; ) {
                long length = control.getLong(at);
                if (length < CMSG_HEADER || at + length > filled) {
                    break;
                }
                if (control.getInt(at + 8) == level && control.getInt(at + 12) == rights) {
                    for (long fd = at + CMSG_HEADER; fd + 4 <= at + length; fd += 4) {
                        fds.add(control.getInt(fd));
                    }
                }
                at += align(length);
            }
            return fds;
        }

        @Override
        public void close() {
            header.close();
            data.close();
            if (control != null) {
                control.close();
            }
        }
    }

    /** A message carrying {@code data} and, as SCM_RIGHTS, {@code fds}. */
    static Message sending(byte[] data, int[] fds) {
        Message message = allocate(Math.max(1, data.length), fds.length);
        message.data.put(0, data, 0, data.length);
        message.header.putLong(MSGHDR_SIZE + 8, data.length); // the iovec's length: the bytes to send
        if (fds.length > 0) {
            message.control.putLong(0, CMSG_HEADER + 4L * fds.length);
            message.control.putInt(8, SOL_SOCKET);
            message.control.putInt(12, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                message.control.putInt(CMSG_HEADER + 4L * i, fds[i]);
            }
        }
        return message;
    }

    /** Room for {@code maxBytes} and {@code maxFds} descriptors. */
    static Message receiving(int maxBytes, int maxFds) {
        return allocate(maxBytes, maxFds);
    }

    private static Message allocate(int bytes, int fds) {
        // msghdr, then its iovec, in one block; the data and control buffers apart.
        int controlLength = fds == 0 ? 0 : (int) align(CMSG_HEADER + 4L * fds);
        NativeMemory header = NativeMemory.allocate(MSGHDR_SIZE + IOVEC_SIZE);
        NativeMemory data = null;
        NativeMemory control = null;
        try {
            data = NativeMemory.allocate(bytes);
            control = controlLength == 0 ? null : NativeMemory.allocate(controlLength);
        } catch (OutOfMemoryError e) {
            header.close();
            if (data != null) {
                data.close();
            }
            throw e;
        }
        header.putLong(MSGHDR_SIZE, data.address()); // iov_base
        header.putLong(MSGHDR_SIZE + 8, bytes); // iov_len
        header.putLong(MSG_IOV, header.address() + MSGHDR_SIZE);
        header.putLong(MSG_IOVLEN, 1);
        header.putLong(MSG_CONTROL, control == null ? 0 : control.address());
        header.putLong(MSG_CONTROLLEN, controlLength);
        return new Message(header, data, control);
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }
}
