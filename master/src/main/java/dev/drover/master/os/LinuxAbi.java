package dev.drover.master.os;

/**
 * The Linux constants drover passes to libc, for the two architectures it runs on. x86_64 and
 * arm64 share the kernel's generic values (asm-generic: errno, signals, sockets, fcntl) except
 * {@code O_DIRECTORY}, which arm64 defines as 32-bit ARM does. Written here instead of looked up
 * (jnr-constants searched the class path for its tables as a master started).
 */
final class LinuxAbi {
    private LinuxAbi() {}

    /** Whether this JVM runs on arm64 (the other architecture drover supports is x86_64). */
    static final boolean ARM64 = "aarch64".equals(System.getProperty("os.arch"));

    // errno
    static final int EPERM = 1;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int EWOULDBLOCK = EAGAIN;
    static final int EACCES = 13;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int EMSGSIZE = 90;
    static final int EADDRINUSE = 98;
    static final int ECONNABORTED = 103;
    static final int ECONNREFUSED = 111;

    // open(2), fcntl(2)
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = ARM64 ? 040000 : 0200000;
    static final int O_CLOEXEC = 02000000;
    static final int F_SETFD = 2;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int FD_CLOEXEC = 1;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int MFD_CLOEXEC = 1;

    // waitpid(2), poll(2)
    static final int WNOHANG = 1;
    static final short POLLIN = 0x1;

    // sockets
    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = O_NONBLOCK;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_KEEPALIVE = 9;
    static final int SO_PEERCRED = 17;
    static final int SO_REUSEPORT = 15;
    static final int SO_SNDTIMEO = 21;
    static final int SCM_RIGHTS = 1;

    // posix_spawn(3), glibc's values
    static final short POSIX_SPAWN_SETPGROUP = 0x02;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;
}
