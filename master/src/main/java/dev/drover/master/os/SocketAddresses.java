package dev.drover.master.os;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import jnr.constants.platform.AddressFamily;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * sockaddr_in, sockaddr_in6 and sockaddr_un in native memory. Their layouts are fixed by the Linux
 * ABI (sa_family_t is a native-order u16 on every architecture); the family numbers come from the
 * running platform.
 */
final class SocketAddresses {
    private SocketAddresses() {}

    record Native(int family, Pointer pointer, int length) {}

    /** {@code 0.0.0.0:80} or {@code [::1]:80}, as messages show addresses. */
    static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static Native encode(Runtime runtime, InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address.getHostString());
        }
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            Pointer memory = Memory.allocateDirect(runtime, 16, true);
            memory.putShort(0, (short) AddressFamily.AF_INET.intValue());
            memory.putShort(2, networkOrder(port));
            memory.put(4, ip.getAddress(), 0, 4);
            return new Native(AddressFamily.AF_INET.intValue(), memory, 16);
        }
        Pointer memory = Memory.allocateDirect(runtime, 28, true);
        memory.putShort(0, (short) AddressFamily.AF_INET6.intValue());
        memory.putShort(2, networkOrder(port));
        memory.put(8, ip.getAddress(), 0, 16);
        memory.putInt(24, ((Inet6Address) ip).getScopeId());
        return new Native(AddressFamily.AF_INET6.intValue(), memory, 28);
    }

    static InetSocketAddress decode(Pointer memory) {
        int family = memory.getShort(0) & 0xffff;
        if (family != AddressFamily.AF_INET.intValue() && family != AddressFamily.AF_INET6.intValue()) {
            throw new IllegalArgumentException("not an internet socket address (family " + family + ")");
        }
        int port = hostOrder(memory.getShort(2));
        byte[] ip = new byte[family == AddressFamily.AF_INET6.intValue() ? 16 : 4];
        memory.get(family == AddressFamily.AF_INET6.intValue() ? 8 : 4, ip, 0, ip.length);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static Pointer unix(Runtime runtime, byte[] path) {
        Pointer memory = Memory.allocateDirect(runtime, 110, true);
        memory.putShort(0, (short) AddressFamily.AF_UNIX.intValue());
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
