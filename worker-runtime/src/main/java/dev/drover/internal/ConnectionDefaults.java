package dev.drover.internal;

/** The limits new connections start with; see {@link dev.drover.Connection}. */
public final class ConnectionDefaults {
    private static volatile int maxSendBufferSize = 1024 * 1024;
    private static volatile int maxPackageSize = 10 * 1024 * 1024;

    private ConnectionDefaults() {}

    public static int maxSendBufferSize() {
        return maxSendBufferSize;
    }

    public static void maxSendBufferSize(int bytes) {
        maxSendBufferSize = positive(bytes, "maxSendBufferSize");
    }

    public static int maxPackageSize() {
        return maxPackageSize;
    }

    public static void maxPackageSize(int bytes) {
        maxPackageSize = positive(bytes, "maxPackageSize");
    }

    /** {@code bytes}, or an IllegalArgumentException naming {@code what} when it is not positive. */
    public static int positive(int bytes, String what) {
        if (bytes < 1) {
            throw new IllegalArgumentException(what + " must be positive, was " + bytes);
        }
        return bytes;
    }
}
