package dev.drover.master.os;

import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.SocketControlMessage;
import jnr.constants.platform.SocketLevel;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

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

    /** One message in native memory: the msghdr and the buffers it points to (kept reachable here). */
    static final class Message {
        final Pointer header;
        final Pointer data;
        final Pointer control;

        private Message(Pointer header, Pointer data, Pointer control) {
            this.header = header;
            this.data = data;
            this.control = control;
        }

        /** The descriptors of the SCM_RIGHTS messages a {@code recvmsg} filled in. */
        List<Integer> receivedFds() {
            long filled = header.getLong(MSG_CONTROLLEN);
            List<Integer> fds = new ArrayList<>();
            int level = SocketLevel.SOL_SOCKET.intValue();
            int rights = SocketControlMessage.SCM_RIGHTS.intValue();
            for (long at = 0; at + CMSG_HEADER <= filled; ) {
                long length = control.getLong(at);
                if (length < CMSG_HEADER) {
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
    }

    /** A message carrying {@code data} and, as SCM_RIGHTS, {@code fds}. */
    static Message sending(Runtime runtime, byte[] data, int[] fds) {
        Message message = allocate(runtime, Math.max(1, data.length), fds.length);
        message.data.put(0, data, 0, data.length);
        message.header.putLong(MSGHDR_SIZE + 8, data.length); // the iovec's length: the bytes to send
        if (fds.length > 0) {
            message.control.putLong(0, CMSG_HEADER + 4L * fds.length);
            message.control.putInt(8, SocketLevel.SOL_SOCKET.intValue());
            message.control.putInt(12, SocketControlMessage.SCM_RIGHTS.intValue());
            for (int i = 0; i < fds.length; i++) {
                message.control.putInt(CMSG_HEADER + 4L * i, fds[i]);
            }
        }
        return message;
    }

    /** Room for {@code maxBytes} and {@code maxFds} descriptors. */
    static Message receiving(Runtime runtime, int maxBytes, int maxFds) {
        return allocate(runtime, maxBytes, maxFds);
    }

    private static Message allocate(Runtime runtime, int bytes, int fds) {
        // msghdr, then its iovec, in one block; the data and control buffers apart.
        Pointer header = Memory.allocateDirect(runtime, MSGHDR_SIZE + IOVEC_SIZE, true);
        Pointer data = Memory.allocateDirect(runtime, bytes, true);
        int controlLength = fds == 0 ? 0 : (int) align(CMSG_HEADER + 4L * fds);
        Pointer control = controlLength == 0 ? null : Memory.allocateDirect(runtime, controlLength, true);
        Pointer iovec = header.slice(MSGHDR_SIZE);
        iovec.putAddress(0, data.address());
        iovec.putLong(8, bytes);
        header.putAddress(MSG_IOV, iovec.address());
        header.putLong(MSG_IOVLEN, 1);
        header.putAddress(MSG_CONTROL, control == null ? 0 : control.address());
        header.putLong(MSG_CONTROLLEN, controlLength);
        return new Message(header, data, control);
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }
}
