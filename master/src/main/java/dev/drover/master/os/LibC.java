package dev.drover.master.os;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions {@link LinuxOs} binds with jnr-ffi. Public only because jnr-ffi generates its
 * implementation in another class loader; nothing but {@link LinuxOs} may call it.
 */
public interface LibC {
    int getpid();

    int geteuid();

    int kill(int pid, int signal);

    int waitpid(int pid, IntByReference status, int options);

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_addclose(Pointer actions, int fd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

    int sigemptyset(Pointer set);

    int sigaction(int signal, Pointer action, Pointer oldAction);

    int sigfillset(Pointer set);

    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, int[] fds);

    int bind(int fd, Pointer address, int length);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer address, IntByReference length, int flags);

    int connect(int fd, Pointer address, int length);

    @ssize_t long sendto(int fd, Pointer buffer, @size_t long length, int flags, Pointer address, int addressLength);

    int setsockopt(int fd, int level, int option, Pointer value, int length);

    int getsockopt(int fd, int level, int option, Pointer value, IntByReference length);

    int getsockname(int fd, Pointer address, IntByReference length);

    // Heap arrays, copied in and out around the call: the master's loop calls these many times a
    // second, and native blocks per call would wait for the garbage collector to be freed.
    int poll(@In @Out int[] fds, @size_t long count, int timeout);

    @ssize_t long read(int fd, @Out byte[] buffer, @size_t long count);

    @ssize_t long write(int fd, @In byte[] buffer, @size_t long count);

    int close(int fd);

    int dup2(int fd, int newFd);

    int setsid();

    int fcntl(int fd, int command, int argument);

    int open(String path, int flags, int mode);

    int flock(int fd, int operation);

    int initgroups(String user, int gid);

    @ssize_t long sendmsg(int fd, Pointer message, int flags);

    @ssize_t long recvmsg(int fd, Pointer message, int flags);

    /** A {@code struct passwd} (static storage: the master's one thread only), or null. */
    Pointer getpwnam(String name);

    /** A {@code struct group} (static storage), or null. */
    Pointer getgrnam(String name);

    int setgid(int gid);

    int setuid(int uid);

    String strerror(int errno);

    int isatty(int fd);
}
