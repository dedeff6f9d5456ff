package dev.drover.master.os;

import static com.kenai.jffi.Type.POINTER;
import static com.kenai.jffi.Type.SINT16;
import static com.kenai.jffi.Type.SINT32;
import static com.kenai.jffi.Type.SLONG;
import static com.kenai.jffi.Type.UINT32;
import static com.kenai.jffi.Type.ULONG;

import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * The libc functions {@link LinuxOs} calls, bound with jffi. Pointers are addresses ({@code 0} is
 * NULL) of {@link NativeMemory} the caller holds; Java arrays and strings are copied to and from C
 * memory around the call. Each function's types are its C prototype's on LP64 Linux (x86_64 and
 * arm64): {@code int}, {@code pid_t} 32 bits; {@code size_t}, {@code ssize_t}, pointers 64.
 */
final class LibC {
    private final Library library;
    private final NativeFunction getpid;
    private final NativeFunction getppid;
    private final NativeFunction geteuid;
    private final NativeFunction kill;
    private final NativeFunction waitpid;
    private final NativeFunction posixSpawn;
    private final NativeFunction actionsInit;
    private final NativeFunction actionsDestroy;
    private final NativeFunction actionsDup2;
    private final NativeFunction actionsOpen;
    private final NativeFunction actionsClose;
    private final NativeFunction actionsCloseFrom;
    private final NativeFunction attrInit;
    private final NativeFunction attrDestroy;
    private final NativeFunction attrSetFlags;
    private final NativeFunction attrSetSigMask;
    private final NativeFunction attrSetSigDefault;
    private final NativeFunction attrSetPgroup;
    private final NativeFunction sigemptyset;
    private final NativeFunction sigfillset;
    private final NativeFunction sigaction;
    private final NativeFunction socket;
    private final NativeFunction socketpair;
    private final NativeFunction bind;
    private final NativeFunction listen;
    private final NativeFunction accept4;
    private final NativeFunction connect;
    private final NativeFunction sendto;
    private final NativeFunction setsockopt;
    private final NativeFunction getsockopt;
    private final NativeFunction getsockname;
    private final NativeFunction poll;
    private final NativeFunction read;
    private final NativeFunction write;
    private final NativeFunction close;
    private final NativeFunction dup2;
    private final NativeFunction setsid;
    private final NativeFunction fcntl;
    private final NativeFunction open;
    private final NativeFunction flock;
    private final NativeFunction memfdCreate;
    private final NativeFunction ftruncate;
    private final NativeFunction initgroups;
    private final NativeFunction sendmsg;
    private final NativeFunction recvmsg;
    private final NativeFunction getpwnam;
    private final NativeFunction getgrnam;
    private final NativeFunction setgid;
    private final NativeFunction setuid;
    private final NativeFunction strerror;
    private final NativeFunction isatty;

    LibC() {
        library = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (library == null) {
            throw new UnsatisfiedLinkError("cannot open libc.so.6: " + Library.getLastError());
        }
        getpid = function("getpid", SINT32);
        getppid = function("getppid", SINT32);
        geteuid = function("geteuid", UINT32);
        kill = function("kill", SINT32, SINT32, SINT32);
        waitpid = function("waitpid", SINT32, SINT32, POINTER, SINT32);
        posixSpawn = function("posix_spawn", SINT32, POINTER, POINTER, POINTER, POINTER, POINTER, POINTER);
        actionsInit = function("posix_spawn_file_actions_init", SINT32, POINTER);
        actionsDestroy = function("posix_spawn_file_actions_destroy", SINT32, POINTER);
        actionsDup2 = function("posix_spawn_file_actions_adddup2", SINT32, POINTER, SINT32, SINT32);
        actionsOpen = function("posix_spawn_file_actions_addopen", SINT32, POINTER, SINT32, POINTER, SINT32, UINT32);
        actionsClose = function("posix_spawn_file_actions_addclose", SINT32, POINTER, SINT32);
        actionsCloseFrom = function("posix_spawn_file_actions_addclosefrom_np", SINT32, POINTER, SINT32);
        attrInit = function("posix_spawnattr_init", SINT32, POINTER);
        attrDestroy = function("posix_spawnattr_destroy", SINT32, POINTER);
        attrSetFlags = function("posix_spawnattr_setflags", SINT32, POINTER, SINT16);
        attrSetSigMask = function("posix_spawnattr_setsigmask", SINT32, POINTER, POINTER);
        attrSetSigDefault = function("posix_spawnattr_setsigdefault", SINT32, POINTER, POINTER);
        attrSetPgroup = function("posix_spawnattr_setpgroup", SINT32, POINTER, SINT32);
        sigemptyset = function("sigemptyset", SINT32, POINTER);
        sigfillset = function("sigfillset", SINT32, POINTER);
        sigaction = function("sigaction", SINT32, SINT32, POINTER, POINTER);
        socket = function("socket", SINT32, SINT32, SINT32, SINT32);
        socketpair = function("socketpair", SINT32, SINT32, SINT32, SINT32, POINTER);
        bind = function("bind", SINT32, SINT32, POINTER, UINT32);
        listen = function("listen", SINT32, SINT32, SINT32);
        accept4 = function("accept4", SINT32, SINT32, POINTER, POINTER, SINT32);
        connect = function("connect", SINT32, SINT32, POINTER, UINT32);
        sendto = function("sendto", SLONG, SINT32, POINTER, ULONG, SINT32, POINTER, UINT32);
        setsockopt = function("setsockopt", SINT32, SINT32, SINT32, SINT32, POINTER, UINT32);
        getsockopt = function("getsockopt", SINT32, SINT32, SINT32, SINT32, POINTER, POINTER);
        getsockname = function("getsockname", SINT32, SINT32, POINTER, POINTER);
        poll = function("poll", SINT32, POINTER, ULONG, SINT32);
        read = function("read", SLONG, SINT32, POINTER, ULONG);
        write = function("write", SLONG, SINT32, POINTER, ULONG);
        close = function("close", SINT32, SINT32);
        dup2 = function("dup2", SINT32, SINT32, SINT32);
        setsid = function("setsid", SINT32);
        fcntl = function("fcntl", SINT32, SINT32, SINT32, SINT32);
        open = function("open", SINT32, POINTER, SINT32, UINT32);
        flock = function("flock", SINT32, SINT32, SINT32);
        memfdCreate = function("memfd_create", SINT32, POINTER, UINT32);
        ftruncate = function("ftruncate", SINT32, SINT32, SLONG);
        initgroups = function("initgroups", SINT32, POINTER, UINT32);
        sendmsg = function("sendmsg", SLONG, SINT32, POINTER, SINT32);
        recvmsg = function("recvmsg", SLONG, SINT32, POINTER, SINT32);
        getpwnam = function("getpwnam", POINTER, POINTER);
        getgrnam = function("getgrnam", POINTER, POINTER);
        setgid = function("setgid", SINT32, UINT32);
        setuid = function("setuid", SINT32, UINT32);
        strerror = function("strerror", POINTER, SINT32);
        isatty = function("isatty", SINT32, SINT32);
    }

    private NativeFunction function(String name, Type result, Type... parameters) {
        return new NativeFunction(library, name, result, parameters);
    }

    /** The errno this thread's last call here set. */
    int errno() {
        return NativeFunction.errno();
    }

    int getpid() {
        return (int) getpid.call();
    }

    int getppid() {
        return (int) getppid.call();
    }

    int geteuid() {
        return (int) geteuid.call();
    }

    int kill(int pid, int signal) {
        return (int) kill.call(pid, signal);
    }

    int waitpid(int pid, long status, int options) {
        return (int) waitpid.call(pid, status, options);
    }

    int posix_spawn(long pid, String path, long fileActions, long attr, long argv, long envp) {
        try (NativeMemory file = NativeMemory.string(path)) {
            return (int) posixSpawn.call(pid, file.address(), fileActions, attr, argv, envp);
        }
    }

    int posix_spawn_file_actions_init(long actions) {
        return (int) actionsInit.call(actions);
    }

    int posix_spawn_file_actions_destroy(long actions) {
        return (int) actionsDestroy.call(actions);
    }

    int posix_spawn_file_actions_adddup2(long actions, int fd, int newFd) {
        return (int) actionsDup2.call(actions, fd, newFd);
    }

    /** glibc copies {@code path} into the actions (since 2.20), so it need not outlive this call. */
    int posix_spawn_file_actions_addopen(long actions, int fd, String path, int flags, int mode) {
        try (NativeMemory file = NativeMemory.string(path)) {
            return (int) actionsOpen.call(actions, fd, file.address(), flags, mode);
        }
    }

    int posix_spawn_file_actions_addclose(long actions, int fd) {
        return (int) actionsClose.call(actions, fd);
    }

    /** Whether this glibc has {@code posix_spawn_file_actions_addclosefrom_np} (2.34+). */
    boolean hasCloseFrom() {
        return actionsCloseFrom.exists();
    }

    int posix_spawn_file_actions_addclosefrom_np(long actions, int from) {
        return (int) actionsCloseFrom.call(actions, from);
    }

    int posix_spawnattr_init(long attr) {
        return (int) attrInit.call(attr);
    }

    int posix_spawnattr_destroy(long attr) {
        return (int) attrDestroy.call(attr);
    }

    int posix_spawnattr_setflags(long attr, short flags) {
        return (int) attrSetFlags.call(attr, flags);
    }

    int posix_spawnattr_setsigmask(long attr, long sigset) {
        return (int) attrSetSigMask.call(attr, sigset);
    }

    int posix_spawnattr_setsigdefault(long attr, long sigset) {
        return (int) attrSetSigDefault.call(attr, sigset);
    }

    int posix_spawnattr_setpgroup(long attr, int pgroup) {
        return (int) attrSetPgroup.call(attr, pgroup);
    }

    int sigemptyset(long set) {
        return (int) sigemptyset.call(set);
    }

    int sigfillset(long set) {
        return (int) sigfillset.call(set);
    }

    int sigaction(int signal, long action, long oldAction) {
        return (int) sigaction.call(signal, action, oldAction);
    }

    int socket(int domain, int type, int protocol) {
        return (int) socket.call(domain, type, protocol);
    }

    int socketpair(int domain, int type, int protocol, int[] fds) {
        try (NativeMemory pair = NativeMemory.allocate(8)) {
            int result = (int) socketpair.call(domain, type, protocol, pair.address());
            fds[0] = pair.getInt(0);
            fds[1] = pair.getInt(4);
            return result;
        }
    }

    int bind(int fd, long address, int length) {
        return (int) bind.call(fd, address, length);
    }

    int listen(int fd, int backlog) {
        return (int) listen.call(fd, backlog);
    }

    int accept4(int fd, long address, long length, int flags) {
        return (int) accept4.call(fd, address, length, flags);
    }

    int connect(int fd, long address, int length) {
        return (int) connect.call(fd, address, length);
    }

    long sendto(int fd, long buffer, long length, int flags, long address, int addressLength) {
        return sendto.call(fd, buffer, length, flags, address, addressLength);
    }

    int setsockopt(int fd, int level, int option, long value, int length) {
        return (int) setsockopt.call(fd, level, option, value, length);
    }

    int getsockopt(int fd, int level, int option, long value, long length) {
        return (int) getsockopt.call(fd, level, option, value, length);
    }

    int getsockname(int fd, long address, long length) {
        return (int) getsockname.call(fd, address, length);
    }

    /** {@code fds} holds {@code count} {@code struct pollfd}s as int pairs; their revents come back in it. */
    int poll(int[] fds, int count, int timeout) {
        try (NativeMemory memory = NativeMemory.allocate(8L * count)) {
            NativeMemory.IO.putIntArray(memory.address(), fds, 0, 2 * count);
            int result = (int) poll.call(memory.address(), count, timeout);
            NativeMemory.IO.getIntArray(memory.address(), fds, 0, 2 * count);
            return result;
        }
    }

    long read(int fd, byte[] buffer, int count) {
        try (NativeMemory memory = NativeMemory.allocate(count)) {
            long result = read.call(fd, memory.address(), count);
            if (result > 0) {
                memory.get(0, buffer, 0, (int) result);
            }
            return result;
        }
    }

    long write(int fd, byte[] data, int offset, int count) {
        try (NativeMemory memory = NativeMemory.allocate(count)) {
            memory.put(0, data, offset, count);
            return write.call(fd, memory.address(), count);
        }
    }

    int close(int fd) {
        return (int) close.call(fd);
    }

    int dup2(int fd, int newFd) {
        return (int) dup2.call(fd, newFd);
    }

    int setsid() {
        return (int) setsid.call();
    }

    int fcntl(int fd, int command, int argument) {
        return (int) fcntl.call(fd, command, argument);
    }

    int open(String path, int flags, int mode) {
        try (NativeMemory file = NativeMemory.string(path)) {
            return (int) open.call(file.address(), flags, mode);
        }
    }

    int flock(int fd, int operation) {
        return (int) flock.call(fd, operation);
    }

    int memfdCreate(String name, int flags) {
        try (NativeMemory text = NativeMemory.string(name)) {
            return (int) memfdCreate.call(text.address(), flags);
        }
    }

    int ftruncate(int fd, long length) {
        return (int) ftruncate.call(fd, length);
    }

    int initgroups(String user, int gid) {
        try (NativeMemory name = NativeMemory.string(user)) {
            return (int) initgroups.call(name.address(), gid);
        }
    }

    long sendmsg(int fd, long message, int flags) {
        return sendmsg.call(fd, message, flags);
    }

    long recvmsg(int fd, long message, int flags) {
        return recvmsg.call(fd, message, flags);
    }

    /** A {@code struct passwd}'s address (static storage: read it before the next call), or 0. */
    long getpwnam(String name) {
        try (NativeMemory user = NativeMemory.string(name)) {
            return getpwnam.call(user.address());
        }
    }

    /** A {@code struct group}'s address (static storage), or 0. */
    long getgrnam(String name) {
        try (NativeMemory group = NativeMemory.string(name)) {
            return getgrnam.call(group.address());
        }
    }

    int setgid(int gid) {
        return (int) setgid.call(gid);
    }

    int setuid(int uid) {
        return (int) setuid.call(uid);
    }

    String strerror(int errno) {
        long text = strerror.call(errno);
        return text == 0 ? "errno " + errno : NativeMemory.stringAt(text);
    }

    int isatty(int fd) {
        return (int) isatty.call(fd);
    }
}
