package dev.drover.master.os;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one seam between drover and the operating system. Every native call drover makes goes
 * through here, and every failing call becomes an {@link OsException} naming the call, its
 * argument and the errno text. Constants and struct layouts come from the running platform, so the
 * same code runs on x86_64 and arm64.
 */
public interface Os {

    /** The Linux implementation, loaded once. */
    static Os linux() {
        return LinuxOs.instance();
    }

    // ---- processes ----

    int getpid();

    /** This process's parent: the process that started it while that lives, else whoever adopted it (init, a subreaper). */
    int getppid();

    /** Starts a child with {@code posix_spawn} as {@link SpawnRequest} describes; returns its pid. */
    int spawn(SpawnRequest request);

    /** {@code waitpid(pid, WNOHANG)}: how the child ended, or empty while it still runs. */
    Optional<ExitStatus> reap(int pid);

    /** Sends a signal; false when no such process exists. */
    boolean kill(int pid, int signal);

    /** Whether the process exists and is not a zombie. */
    boolean isAlive(int pid);

    /** A process's children, zombies included (/proc/PID/task/TID/children of every thread); empty when it is gone. */
    List<Integer> children(long pid);

    /** The process's resident memory in bytes (VmRSS), or 0 when it is gone. */
    long residentBytes(int pid);

    /**
     * Whether the process maps a file named {@code fileName} (/proc/PID/maps, which shows a path with
     * its links resolved, so the name alone is matched); empty when that cannot be told (it is gone).
     */
    Optional<Boolean> mapsFileNamed(int pid, String fileName);

    /** A kernel setting such as {@code net.ipv4.tcp_migrate_req} (from /proc/sys), empty when this kernel has none. */
    Optional<String> sysctl(String name);

    /** Sets a kernel setting; {@link OsException} when it is not permitted (not root, read-only /proc/sys). */
    void setSysctl(String name, String value);

    /** The 1, 5 and 15 minute load averages. */
    double[] loadAverage();

    /** The process's command line with NULs as spaces, or empty when it is gone. */
    Optional<String> commandLine(int pid);

    /**
     * Sets what {@code ps} shows for this process: the command line (overwritten in place, cut to
     * the space the original arguments had) and the 15-character process name. Best effort: false
     * when the kernel refused.
     */
    boolean setProcessTitle(String title);

    /** Whether the descriptor is a terminal. */
    boolean isTerminal(int fd);

    /**
     * Sets {@code signal} back to its default action when it is ignored (SIG_IGN, inherited from
     * whoever started this process), so that a handler can be installed; true when it was ignored.
     */
    boolean defaultIfIgnored(int signal);

    // ---- descriptors ----

    /** A connected pair of Unix stream sockets, close-on-exec and blocking. */
    int[] socketPair();

    /** Sends {@code data} with {@code fds} attached as {@code SCM_RIGHTS}, in one {@code sendmsg}. */
    void sendWithFds(int socket, byte[] data, int[] fds);

    /**
     * One {@code recvmsg} of at most {@code maxBytes} bytes and {@code maxFds} descriptors; blocks on
     * a blocking socket, and on a non-blocking one with nothing to read returns
     * {@link Received#wouldBlock}. Received descriptors are close-on-exec.
     */
    Received receiveWithFds(int socket, int maxBytes, int maxFds);

    /** Bytes read into {@code buffer}; 0 at end of stream; -1 when a non-blocking fd has none now. */
    int read(int fd, byte[] buffer);

    /** Bytes written; -1 when a non-blocking fd cannot take any now. */
    int write(int fd, byte[] data, int offset, int length);

    void close(int fd);

    /** Makes {@code newFd} a copy of {@code fd} (closing what it was), as {@code dup2}. */
    void dup2(int fd, int newFd);

    /** A close-on-exec copy of {@code fd}, numbered 3 or above. */
    int duplicate(int fd);

    /** Starts a new session with this process as its leader, detached from any terminal ({@code setsid}). */
    void setsid();

    void setNonBlocking(int fd, boolean nonBlocking);

    /**
     * Waits until one of {@code fds} is readable or closed, or {@code timeoutMillis} passed (-1:
     * forever). Sets {@code ready[i]} for each such fd; returns how many. A signal returns 0 early.
     */
    int poll(int[] fds, boolean[] ready, int timeoutMillis);

    // ---- sockets ----

    /**
     * A listening TCP socket on {@code address}: non-blocking, close-on-exec, {@code SO_REUSEADDR},
     * {@code SO_REUSEPORT} when asked, with {@code backlog} (the kernel caps it at somaxconn).
     */
    int listenTcp(InetSocketAddress address, boolean reusePort, int backlog);

    /** A UDP socket bound to {@code address}: non-blocking, close-on-exec, {@code SO_REUSEADDR} (and {@code SO_REUSEPORT}). */
    int bindUdp(InetSocketAddress address, boolean reusePort);

    /** The address a socket is bound to ({@code getsockname}). */
    InetSocketAddress localAddress(int fd);

    /**
     * A listening Unix stream socket at {@code path} (non-blocking, close-on-exec); a path longer
     * than {@code sun_path} is bound through {@code /proc/self/fd} of its directory.
     */
    int listenUnix(Path path, int backlog);

    /** A blocking, close-on-exec Unix stream socket connected to {@code path}. */
    int connectUnix(Path path);

    /**
     * Sends one datagram to the Unix datagram socket at {@code path} ({@code @name}: the abstract
     * namespace), as systemd's {@code NOTIFY_SOCKET} expects.
     */
    void sendDatagram(String path, byte[] data);

    /** A connection accepted from a non-blocking listener (non-blocking, close-on-exec), or -1 for none. */
    int accept(int listener);

    /** {@code SO_SNDTIMEO}: a blocking write gives up after {@code millis}. */
    void setSendTimeout(int socket, int millis);

    /** The uid of the process at the other end of a Unix socket ({@code SO_PEERCRED}). */
    int peerUid(int socket);

    // ---- files ----

    /**
     * Opens (creating with mode 0644) {@code path} close-on-exec and tries {@code flock(LOCK_EX|LOCK_NB)}.
     * Returns the descriptor that holds the lock, or -1 when another process holds it.
     */
    int tryLock(Path path);

    /**
     * Whether a process holds {@code path}'s {@code flock}, tried through a descriptor opened
     * read-only ({@code flock(LOCK_SH|LOCK_NB)}, let go at once): this works on a lock file of
     * another user's, which {@link #tryLock} cannot open. Throws when the file cannot be opened.
     */
    boolean locked(Path path);

    /**
     * The process that holds {@code path}'s {@code flock}, from the kernel's lock table
     * ({@code /proc/locks}), when it still has the file open; empty when none does, or when that
     * process is not ours to see. After a lock was handed to another process and its taker exited,
     * the table names the taker: then this is empty too.
     */
    Optional<Integer> lockHolder(Path path);

    /**
     * Whether a TCP socket of this network namespace listens on {@code port} ({@code /proc/net/tcp}
     * and {@code tcp6}); true when that cannot be read. A port no socket listens on that bind still
     * finds in use is some connection's local end.
     */
    boolean tcpListening(int port);

    /** The ports the kernel gives connections ({@code ip_local_port_range}), e.g. "32768-60999"; empty when unknown. */
    Optional<String> localPortRange();

    /**
     * A file of {@code bytes} zeros in memory only ({@code memfd_create}, close-on-exec), named
     * {@code name} in {@code /proc/<pid>/fd}: its descriptor, to share among processes.
     */
    int sharedMemory(String name, int bytes);

    // ---- users ----

    /** The user's uid and primary gid; empty when the system knows no such user. */
    Optional<UserIds> user(String name);

    /** The group's gid; empty when the system knows no such group. */
    Optional<Integer> group(String name);

    /** {@code initgroups}, {@code setgid}, {@code setuid}, in that order, for the whole process. */
    void dropPrivileges(String user, int uid, int gid);

    /** The effective uid of this process. */
    int geteuid();
}
