package dev.drover.master.os;

/**
 * A system call failed. The message names the call, its argument and the errno text, in nginx's
 * spirit: {@code bind 0.0.0.0:5678 failed: Address already in use (98)}.
 */
public final class OsException extends RuntimeException {
    private final String call;
    private final int errno;

    public OsException(String call, String argument, int errno, String errnoText) {
        super(call + (argument.isEmpty() ? "" : " " + argument) + " failed: " + errnoText + " (" + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The failed call's name, e.g. {@code bind}. */
    public String call() {
        return call;
    }

    /** {@code EADDRINUSE} found without a system call failing (a Unix socket someone accepts on). */
    public static OsException addressInUse(String call, String argument) {
        int errno = LinuxAbi.EADDRINUSE;
        return new OsException(call, argument, errno, "Address already in use");
    }

    /** Whether the call failed because the address is taken ({@code EADDRINUSE}). */
    public boolean addressInUse() {
        return errno == LinuxAbi.EADDRINUSE;
    }

    /** Whether nobody accepts at the address ({@code ECONNREFUSED}). */
    public boolean connectionRefused() {
        return errno == LinuxAbi.ECONNREFUSED;
    }

    /** Whether the call was refused for want of permission ({@code EACCES}, {@code EPERM}). */
    public boolean permissionDenied() {
        return errno == LinuxAbi.EACCES || errno == LinuxAbi.EPERM;
    }

    /** The errno the call set. */
    public int errno() {
        return errno;
    }
}
