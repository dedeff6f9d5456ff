package dev.drover.master.os;

import static dev.drover.master.os.LinuxAbi.AF_INET;
import static dev.drover.master.os.LinuxAbi.AF_INET6;
import static dev.drover.master.os.LinuxAbi.AF_UNIX;

import dev.drover.master.IpText;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * sockaddr_in, sockaddr_in6 and sockaddr_un in native memory. Their layouts are fixed by the Linux
 * ABI (sa_family_t is a native-order u16 on every architecture); the family numbers are
 * {@link LinuxAbi}'s.
 */
final class SocketAddresses {
    private SocketAddresses() {}

    /** An encoded address in C memory, freed by {@link #close}. */
    record Native(int family, NativeMemory memory, int length) implements AutoCloseable {
        long address() {
            return memory.address();
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    /** {@code 0.0.0.0:80} or {@code [::1]:80}, as messages show addresses. */
    static String format(InetSocketAddress address) {
        return IpText.withPort(address);
    }

    static Native encode(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            NativeMemory memory = NativeMemory.allocate(16);
            memory.putShort(0, (short) AF_INET);
            memory.putShort(2, networkOrder(port));
            memory.put(4, ip.getAddress(), 0, 4);
            return new Native(AF_INET, memory, 16);
        }
        NativeMemory memory = NativeMemory.allocate(28);
        memory.putShort(0, (short) AF_INET6);
        memory.putShort(2, networkOrder(port));
        memory.put(8, ip.getAddress(), 0, 16);
        memory.putInt(24, ((Inet6Address) ip).getScopeId());
        return new Native(AF_INET6, memory, 28);
    }

    static InetSocketAddress decode(NativeMemory memory) {
        int family = memory.getShort(0) & 0xffff;
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("not an internet socket address (family " + family + ")");
        }
        int port = hostOrder(memory.getShort(2));
        byte[] ip = new byte[family == AF_INET6 ? 16 : 4];
        memory.get(family == AF_INET6 ? 8 : 4, ip, 0, ip.length);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A sockaddr_un for {@code path} (at most 107 bytes: sun_path keeps a NUL), in C memory the caller closes. */
    static NativeMemory unix(byte[] path) {
        NativeMemory memory = NativeMemory.allocate(110);
        memory.putShort(0, (short) AF_UNIX);
        memory.put(2, path, 0, path.length);
        return memory;
    }

    private static short networkOrder(int port) {
        short value = (short) port;
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value);
    }

    private static int hostOrder(short value) {
        return (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value)) & 0xffff;
    }
}
