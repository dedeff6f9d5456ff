package dev.drover.master.os;

import static dev.drover.master.os.LinuxAbi.*;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link Os} on Linux, calling libc through jffi ({@link LibC}): jnr-ffi's library loader, on top of
 * jffi, cost a starting master ~100 ms of its critical path (a miss walking the class path, a proxy
 * class, annotation proxies and reflection for each function's first call) and ~300 classes.
 */
final class LinuxOs implements Os {
    /** glibc's opaque spawn structures are far smaller than this; never assume their size. */
    private static final int OPAQUE_SIZE = 1024;
    /** glibc's struct sigaction (152 bytes on x86_64 and aarch64), with room to spare; its handler comes first. */
    private static final int SIGACTION_SIZE = 256;
    /** The handler value of an ignored signal. */
    private static final long SIG_IGN = 1;
    private static final int SUN_PATH_MAX = 107;

    private static volatile LinuxOs instance;

    private final LibC libc;
    private final boolean hasCloseFrom;

    private LinuxOs() {
        libc = new LibC();
        hasCloseFrom = probeCloseFrom();
    }

    static LinuxOs instance() {
        LinuxOs os = instance;
        if (os == null) {
            synchronized (LinuxOs.class) {
                os = instance;
                if (os == null) {
                    instance = os = new LinuxOs();
                }
            }
        }
        return os;
    }

    private OsException fail(String call, String argument) {
        return fail(call, argument, libc.errno());
    }

    private OsException fail(String call, String argument, int errno) {
        return new OsException(call, argument, errno, libc.strerror(errno));
    }

    private int check(int result, String call, String argument) {
        if (result < 0) {
            throw fail(call, argument);
        }
        return result;
    }

    private boolean lastErrorIs(int errno) {
        return libc.errno() == errno;
    }

    // ---- processes ----

    @Override
    public int getpid() {
        return libc.getpid();
    }

    @Override
    public int getppid() {
        return libc.getppid();
    }

    @Override
    public int geteuid() {
        return libc.geteuid();
    }

    @Override
    public int spawn(SpawnRequest request) {
        String what = request.program();
        try (NativeMemory actionsMemory = NativeMemory.allocate(OPAQUE_SIZE);
                NativeMemory attrMemory = NativeMemory.allocate(OPAQUE_SIZE);
                NativeMemory signalsMemory = NativeMemory.allocate(OPAQUE_SIZE)) {
            long actions = actionsMemory.address();
            long attr = attrMemory.address();
            spawnCheck(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init", what);
            try {
                spawnCheck(libc.posix_spawnattr_init(attr), "posix_spawnattr_init", what);
                try {
                    return spawn(request, actions, attr, signalsMemory.address());
                } finally {
                    libc.posix_spawnattr_destroy(attr);
                }
            } finally {
                libc.posix_spawn_file_actions_destroy(actions);
            }
        }
    }

    private int spawn(SpawnRequest request, long actions, long attr, long signals) {
        String what = request.program();
        List<Integer> sources = new ArrayList<>();
        try {
            int firstFree = 3 + request.passFds().size();
            // Move every source above the target range first, so dup2 never overwrites one it still needs.
            for (int i = 0; i < request.passFds().size(); i++) {
                int source = request.passFds().get(i);
                int moved = check(libc.fcntl(source, F_DUPFD_CLOEXEC, firstFree), "fcntl(F_DUPFD_CLOEXEC)", "fd " + source);
                sources.add(moved);
                spawnCheck(libc.posix_spawn_file_actions_adddup2(actions, moved, 3 + i), "posix_spawn_file_actions_adddup2", "fd " + source);
            }
            if (request.stdio() != null) {
                String out = request.stdio().toString();
                spawnCheck(libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0),
                        "posix_spawn_file_actions_addopen", "/dev/null");
                int flags = O_WRONLY | O_CREAT | O_APPEND;
                spawnCheck(libc.posix_spawn_file_actions_addopen(actions, 1, out, flags, 0644), "posix_spawn_file_actions_addopen", out);
                spawnCheck(libc.posix_spawn_file_actions_adddup2(actions, 1, 2), "posix_spawn_file_actions_adddup2", "fd 1");
            }
            closeFrom(actions, firstFree);
            libc.sigemptyset(signals);
            spawnCheck(libc.posix_spawnattr_setsigmask(attr, signals), "posix_spawnattr_setsigmask", what);
            libc.sigfillset(signals);
            spawnCheck(libc.posix_spawnattr_setsigdefault(attr, signals), "posix_spawnattr_setsigdefault", what);
            short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
                    | (request.newSession() ? POSIX_SPAWN_SETSID : POSIX_SPAWN_SETPGROUP));
            spawnCheck(libc.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags", what);
            spawnCheck(libc.posix_spawnattr_setpgroup(attr, 0), "posix_spawnattr_setpgroup", what);

            try (NativeStrings argv = new NativeStrings(request.argv());
                    NativeStrings envp = new NativeStrings(request.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                    NativeMemory pid = NativeMemory.allocate(4)) {
                // its file actions' failures come back here too: an output file that cannot be opened is named
                spawnCheck(libc.posix_spawn(pid.address(), request.program(), actions, attr, argv.address(), envp.address()), "posix_spawn",
                        request.stdio() == null ? what : what + " with its output to " + request.stdio());
                return pid.getInt(0);
            }
        } finally {
            sources.forEach(libc::close);
        }
    }

    /** posix_spawn* functions return the error number instead of setting errno. */
    private void spawnCheck(int result, String call, String argument) {
        if (result != 0) {
            throw fail(call, argument, result);
        }
    }

    private boolean probeCloseFrom() {
        if (!libc.hasCloseFrom()) {
            return false; // glibc older than 2.34
        }
        try (NativeMemory actions = NativeMemory.allocate(OPAQUE_SIZE)) {
            libc.posix_spawn_file_actions_init(actions.address());
            try {
                return libc.posix_spawn_file_actions_addclosefrom_np(actions.address(), 3) == 0;
            } finally {
                libc.posix_spawn_file_actions_destroy(actions.address());
            }
        }
    }

    /** Closes every descriptor from {@code first} up in the child. */
    private void closeFrom(long actions, int first) {
        if (hasCloseFrom) {
            spawnCheck(libc.posix_spawn_file_actions_addclosefrom_np(actions, first), "posix_spawn_file_actions_addclosefrom_np", "fd " + first);
            return;
        }
        // Older glibc: close what is open now; descriptors opened concurrently are close-on-exec.
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (int fd : fds.mapToInt(p -> Integer.parseInt(p.getFileName().toString())).toArray()) {
                if (fd >= first) {
                    spawnCheck(libc.posix_spawn_file_actions_addclose(actions, fd), "posix_spawn_file_actions_addclose", "fd " + fd);
                }
            }
        } catch (IOException e) {
            throw new OsException("opendir", "/proc/self/fd", EIO, e.getMessage());
        }
    }

    @Override
    public Optional<ExitStatus> reap(int pid) {
        try (NativeMemory status = NativeMemory.allocate(4)) {
            int result = check(libc.waitpid(pid, status.address(), WNOHANG), "waitpid", "pid " + pid);
            return result == 0 ? Optional.empty() : Optional.of(ExitStatus.fromWaitStatus(status.getInt(0)));
        }
    }

    @Override
    public boolean kill(int pid, int signal) {
        if (pid <= 0) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
        if (libc.kill(pid, signal) == 0) {
            return true;
        }
        if (lastErrorIs(ESRCH)) {
            return false;
        }
        throw fail("kill", "pid " + pid + " " + Signals.name(signal));
    }

    @Override
    public boolean isAlive(int pid) {
        if (pid <= 0 || libc.kill(pid, 0) != 0 && lastErrorIs(ESRCH)) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            return true; // exists, but unreadable to us
        }
    }

    @Override
    public Optional<Boolean> mapsFileNamed(int pid, String fileName) {
        // java.io, line by line in one buffer: no readers or decoders (a master started from its class
        // archive would load them from the JDK's image) and no copy of a JVM's 100 KB of mappings.
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/maps")) {
            return listsFileNamed(in, fileName);
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** Whether a line of {@code maps} (/proc/PID/maps) ends in a path named {@code fileName}; empty for no lines at all (a zombie's). */
    static Optional<Boolean> listsFileNamed(InputStream maps, String fileName) throws IOException {
        byte[] name = ("/" + fileName).getBytes(StandardCharsets.UTF_8);
        byte[] deleted = ("/" + fileName + " (deleted)").getBytes(StandardCharsets.UTF_8);
        byte[] buffer = new byte[8192];
        int filled = 0;
        boolean read = false;
        for (int n; (n = maps.read(buffer, filled, buffer.length - filled)) > 0; ) {
            read = true;
            filled += n;
            int line = 0;
            for (int i = 0; i < filled; i++) {
                if (buffer[i] == '\n') {
                    if (endsWith(buffer, i, name) || endsWith(buffer, i, deleted)) {
                        return Optional.of(true);
                    }
                    line = i + 1;
                }
            }
            filled = line == 0 && filled == buffer.length ? 0 : filled - line; // a line longer than the buffer names no file of ours
            System.arraycopy(buffer, line, buffer, 0, filled);
        }
        return read ? Optional.of(false) : Optional.empty();
    }

    /** Whether the bytes of {@code buffer} before index {@code end} are {@code suffix}. */
    private static boolean endsWith(byte[] buffer, int end, byte[] suffix) {
        return end >= suffix.length && Arrays.equals(buffer, end - suffix.length, end, suffix, 0, suffix.length);
    }

    @Override
    public long residentBytes(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // fall through
        }
        return 0;
    }

    @Override
    public Optional<String> sysctl(String name) {
        try {
            return Optional.of(Files.readString(sysctlPath(name)).trim());
        } catch (IOException absent) {
            return Optional.empty();
        }
    }

    @Override
    public void setSysctl(String name, String value) {
        Path path = sysctlPath(name);
        try {
            Files.writeString(path, value);
        } catch (IOException e) {
            int errno = e instanceof java.nio.file.AccessDeniedException ? EACCES
                    : e.getMessage() != null && e.getMessage().contains("Read-only") ? EROFS : EPERM;
            throw new OsException("write", path.toString(), errno, libc.strerror(errno));
        }
    }

    private static Path sysctlPath(String name) {
        return Path.of("/proc/sys", name.replace('.', '/'));
    }

    @Override
    public double[] loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), Double.parseDouble(fields[2])};
        } catch (IOException | RuntimeException unreadable) {
            return new double[] {0, 0, 0};
        }
    }

    @Override
    public List<Integer> children(long pid) {
        List<Integer> children = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String child : Files.readString(task.resolve("children")).trim().split(" +")) {
                        if (!child.isEmpty()) {
                            children.add(Integer.parseInt(child));
                        }
                    }
                } catch (IOException threadEnded) {
                    // the thread ended while we listed
                }
            }
        } catch (IOException unreadable) {
            return List.of();
        }
        return children;
    }

    @Override
    public Optional<String> commandLine(int pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    @Override
    public boolean setProcessTitle(String title) {
        return ProcessTitle.set(title);
    }

    @Override
    public boolean isTerminal(int fd) {
        return libc.isatty(fd) == 1;
    }

    @Override
    public boolean defaultIfIgnored(int signal) {
        // zeroed, a struct sigaction is SIG_DFL with no mask and no flags
        try (NativeMemory current = NativeMemory.allocate(SIGACTION_SIZE); NativeMemory defaults = NativeMemory.allocate(SIGACTION_SIZE)) {
            check(libc.sigaction(signal, 0, current.address()), "sigaction", Signals.name(signal));
            if (current.getLong(0) != SIG_IGN) {
                return false;
            }
            check(libc.sigaction(signal, defaults.address(), 0), "sigaction", Signals.name(signal));
            return true;
        }
    }

    // ---- descriptors ----

    @Override
    public int[] socketPair() {
        int[] fds = new int[2];
        int type = SOCK_STREAM | SOCK_CLOEXEC;
        check(libc.socketpair(AF_UNIX, type, 0, fds), "socketpair", "AF_UNIX");
        return fds;
    }

    @Override
    public void sendWithFds(int socket, byte[] data, int[] fds) {
        long sent;
        try (SocketMessages.Message message = SocketMessages.sending(data, fds)) {
            sent = libc.sendmsg(socket, message.address(), 0);
        }
        if (sent < 0) {
            throw fail("sendmsg", "fd " + socket);
        }
        if (sent != data.length) {
            throw new OsException("sendmsg", "fd " + socket, EMSGSIZE, "short write of " + sent + " of " + data.length + " bytes");
        }
    }

    @Override
    public Received receiveWithFds(int socket, int maxBytes, int maxFds) {
        byte[] data;
        List<Integer> fds;
        try (SocketMessages.Message message = SocketMessages.receiving(maxBytes, maxFds)) {
            long count = libc.recvmsg(socket, message.address(), 0);
            if (count < 0 && (lastErrorIs(EAGAIN) || lastErrorIs(EINTR))) {
                return Received.NOTHING_YET;
            }
            if (count < 0) {
                throw fail("recvmsg", "fd " + socket);
            }
            data = new byte[(int) count];
            message.data.get(0, data, 0, data.length);
            fds = message.receivedFds();
        }
        for (int fd : fds) {
            libc.fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        return new Received(data, fds.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public int read(int fd, byte[] buffer) {
        long count = libc.read(fd, buffer, buffer.length);
        if (count < 0) {
            if (lastErrorIs(EAGAIN) || lastErrorIs(EINTR)) {
                return -1;
            }
            throw fail("read", "fd " + fd);
        }
        return (int) count;
    }

    @Override
    public int write(int fd, byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        long count = libc.write(fd, data, offset, length);
        if (count < 0) {
            if (lastErrorIs(EAGAIN) || lastErrorIs(EINTR)) {
                return -1;
            }
            throw fail("write", "fd " + fd);
        }
        return (int) count;
    }

    @Override
    public void dup2(int fd, int newFd) {
        check(libc.dup2(fd, newFd), "dup2", "fd " + fd + " to fd " + newFd);
    }

    @Override
    public int duplicate(int fd) {
        return check(libc.fcntl(fd, F_DUPFD_CLOEXEC, 3), "fcntl(F_DUPFD_CLOEXEC)", "fd " + fd);
    }

    @Override
    public void setsid() {
        check(libc.setsid(), "setsid", "pid " + getpid());
    }

    @Override
    public void close(int fd) {
        if (libc.close(fd) != 0 && !lastErrorIs(EINTR)) {
            throw fail("close", "fd " + fd);
        }
    }

    @Override
    public void setNonBlocking(int fd, boolean nonBlocking) {
        int flags = check(libc.fcntl(fd, F_GETFL, 0), "fcntl(F_GETFL)", "fd " + fd);
        check(libc.fcntl(fd, F_SETFL, nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK), "fcntl(F_SETFL)", "fd " + fd);
    }

    @Override
    public int poll(int[] fds, boolean[] ready, int timeoutMillis) {
        // struct pollfd {int fd; short events; short revents;} as two ints: on the little-endian
        // machines drover runs on (x86_64, aarch64) events is the low half of the second.
        int[] pollFds = new int[2 * fds.length];
        for (int i = 0; i < fds.length; i++) {
            pollFds[2 * i] = fds[i];
            pollFds[2 * i + 1] = POLLIN;
        }
        int count = libc.poll(pollFds, fds.length, timeoutMillis);
        if (count < 0) {
            if (lastErrorIs(EINTR)) {
                return 0;
            }
            throw fail("poll", fds.length + " fds");
        }
        for (int i = 0; i < fds.length; i++) {
            ready[i] = (pollFds[2 * i + 1] >>> 16) != 0; // revents
        }
        return count;
    }

    // ---- sockets ----

    @Override
    public int listenTcp(InetSocketAddress address, boolean reusePort, int backlog) {
        int fd = boundInet(address, SOCK_STREAM, reusePort);
        String where = SocketAddresses.format(address);
        try {
            // Accepted connections inherit it (as Workerman sets it): a peer that vanished without a
            // FIN or RST is found and closed after the kernel's keepalive time, not held for ever.
            setIntOption(fd, SO_KEEPALIVE, 1, where);
            check(libc.listen(fd, backlog), "listen", where);
            return fd;
        } catch (OsException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public int bindUdp(InetSocketAddress address, boolean reusePort) {
        return boundInet(address, SOCK_DGRAM, reusePort);
    }

    /** A non-blocking, close-on-exec socket of {@code type} bound to {@code address} with SO_REUSEADDR. */
    private int boundInet(InetSocketAddress address, int type, boolean reusePort) {
        String where = SocketAddresses.format(address);
        try (SocketAddresses.Native sockaddr = SocketAddresses.encode(address)) {
            int flags = type | SOCK_NONBLOCK | SOCK_CLOEXEC;
            int fd = check(libc.socket(sockaddr.family(), flags, 0), "socket", where);
            try {
                setIntOption(fd, SO_REUSEADDR, 1, where);
                if (reusePort) {
                    setIntOption(fd, SO_REUSEPORT, 1, where);
                }
                check(libc.bind(fd, sockaddr.address(), sockaddr.length()), "bind", where);
                return fd;
            } catch (OsException e) {
                libc.close(fd);
                throw e;
            }
        }
    }

    private void setIntOption(int fd, int option, int value, String where) {
        try (NativeMemory memory = NativeMemory.allocate(4)) {
            memory.putInt(0, value);
            check(libc.setsockopt(fd, SOL_SOCKET, option, memory.address(), 4), "setsockopt", where);
        }
    }

    @Override
    public InetSocketAddress localAddress(int fd) {
        try (NativeMemory memory = NativeMemory.allocate(128); NativeMemory length = NativeMemory.allocate(4)) {
            length.putInt(0, 128);
            check(libc.getsockname(fd, memory.address(), length.address()), "getsockname", "fd " + fd);
            return SocketAddresses.decode(memory);
        }
    }

    @Override
    public int listenUnix(Path path, int backlog) {
        int type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
        int fd = check(libc.socket(AF_UNIX, type, 0), "socket", path.toString());
        try {
            withUnixAddress(path, (address, length) -> check(libc.bind(fd, address, length), "bind", path.toString()));
            check(libc.listen(fd, backlog), "listen", path.toString());
            return fd;
        } catch (OsException e) {
            libc.close(fd);
            throw e;
        }
    }

    @Override
    public int connectUnix(Path path) {
        int type = SOCK_STREAM | SOCK_CLOEXEC;
        int fd = check(libc.socket(AF_UNIX, type, 0), "socket", path.toString());
        try {
            withUnixAddress(path, (address, length) -> check(libc.connect(fd, address, length), "connect", path.toString()));
            return fd;
        } catch (OsException e) {
            libc.close(fd);
            throw e;
        }
    }

    private interface AddressUser {
        void use(long address, int length);
    }

    /** Runs {@code user} with a sockaddr_un for {@code path}, going through /proc/self/fd when it is too long. */
    private void withUnixAddress(Path path, AddressUser user) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= SUN_PATH_MAX) {
            try (NativeMemory address = SocketAddresses.unix(bytes)) {
                user.use(address.address(), 2 + bytes.length + 1);
            }
            return;
        }
        Path dir = path.toAbsolutePath().getParent();
        int dirFd = check(libc.open(dir.toString(), O_RDONLY | O_DIRECTORY
                | O_CLOEXEC, 0), "open", dir.toString());
        try {
            byte[] shortPath = ("/proc/self/fd/" + dirFd + "/" + path.getFileName()).getBytes(StandardCharsets.UTF_8);
            if (shortPath.length > SUN_PATH_MAX) {
                throw new OsException("bind", path.toString(), ENAMETOOLONG,
                        "socket file name " + path.getFileName() + " too long for sun_path (" + SUN_PATH_MAX
                        + " bytes) even through /proc/self/fd: give the socket (a unix:// listen address, or the pid file's .sock) a shorter file name");
            }
            try (NativeMemory address = SocketAddresses.unix(shortPath)) {
                user.use(address.address(), 2 + shortPath.length + 1);
            }
        } finally {
            libc.close(dirFd);
        }
    }

    @Override
    public void sendDatagram(String path, byte[] data) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        boolean isAbstract = name.length > 0 && name[0] == '@';
        if (isAbstract) {
            name[0] = 0;
        }
        if (name.length > SUN_PATH_MAX) {
            throw new OsException("sendto", path, ENAMETOOLONG, "socket path too long");
        }
        int type = SOCK_DGRAM | SOCK_CLOEXEC;
        int fd = check(libc.socket(AF_UNIX, type, 0), "socket", path);
        try (NativeMemory memory = NativeMemory.bytes(data, 0); NativeMemory address = SocketAddresses.unix(name)) {
            int length = 2 + name.length + (isAbstract ? 0 : 1);
            if (libc.sendto(fd, memory.address(), data.length, 0, address.address(), length) < 0) {
                throw fail("sendto", path);
            }
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public int accept(int listener) {
        int flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
        int fd = libc.accept4(listener, 0, 0, flags);
        if (fd < 0) {
            if (lastErrorIs(EAGAIN) || lastErrorIs(EINTR) || lastErrorIs(ECONNABORTED)) {
                return -1;
            }
            throw fail("accept4", "fd " + listener);
        }
        return fd;
    }

    @Override
    public void setSendTimeout(int socket, int millis) {
        try (NativeMemory timeval = NativeMemory.allocate(16)) { // struct timeval {long; long} on LP64
            timeval.putLong(0, millis / 1000);
            timeval.putLong(8, (millis % 1000) * 1000L);
            check(libc.setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, timeval.address(), 16),
                    "setsockopt(SO_SNDTIMEO)", "fd " + socket);
        }
    }

    @Override
    public int peerUid(int socket) {
        try (NativeMemory ucred = NativeMemory.allocate(12); NativeMemory length = NativeMemory.allocate(4)) { // struct ucred {pid_t; uid_t; gid_t}
            length.putInt(0, 12);
            check(libc.getsockopt(socket, SOL_SOCKET, SO_PEERCRED, ucred.address(),
                    length.address()), "getsockopt(SO_PEERCRED)", "fd " + socket);
            return ucred.getInt(4);
        }
    }

    // ---- files ----

    @Override
    public int sharedMemory(String name, int bytes) {
        int fd = check(libc.memfdCreate(name, MFD_CLOEXEC), "memfd_create", name);
        if (libc.ftruncate(fd, bytes) != 0) {
            OsException failure = fail("ftruncate", name + " (fd " + fd + ", " + bytes + " bytes)");
            libc.close(fd);
            throw failure;
        }
        return fd;
    }

    @Override
    public Optional<Integer> lockHolder(Path path) {
        try {
            String inode = ":" + Files.getAttribute(path, "unix:ino");
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"; a waiter's line has "->" after the number
                String[] field = line.trim().split("\\s+");
                if (field.length >= 6 && field[1].equals("FLOCK") && field[5].endsWith(inode)) {
                    int pid = Integer.parseInt(field[4]);
                    if (hasOpen(pid, path.toRealPath())) {
                        return Optional.of(pid);
                    }
                }
            }
        } catch (IOException | RuntimeException unknown) {
            // no file, no table, or not a Unix file system: nobody known
        }
        return Optional.empty();
    }

    @Override
    public boolean tcpListening(int port) {
        String local = String.format(":%04X", port);
        boolean read = false;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    // "0: 0100007F:1F90 00000000:0000 0A ...": local address, remote address, state (0A: LISTEN)
                    String[] field = line.trim().split("\\s+");
                    if (field.length > 3 && field[1].endsWith(local) && field[3].equals("0A")) {
                        return true;
                    }
                }
                read = true;
            } catch (IOException | RuntimeException unreadable) {
                // no IPv6, or no /proc: the other table, or nothing known
            }
        }
        return !read;
    }

    @Override
    public Optional<String> localPortRange() {
        try {
            return Optional.of(String.join("-", Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Whether process {@code pid} has {@code file} open (false when its descriptors are not ours to read). */
    private static boolean hasOpen(int pid, Path file) {
        try (var descriptors = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    if (Files.readSymbolicLink(descriptor).equals(file)) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the next one
                }
            }
        } catch (IOException gone) {
            return false;
        }
        return false;
    }

    @Override
    public int tryLock(Path path) {
        int flags = O_RDWR | O_CREAT | O_CLOEXEC;
        int fd = check(libc.open(path.toString(), flags, 0644), "open", path.toString());
        if (libc.flock(fd, LOCK_EX | LOCK_NB) == 0) {
            return fd;
        }
        OsException failure = lastErrorIs(EWOULDBLOCK) ? null : fail("flock", path.toString());
        libc.close(fd);
        if (failure != null) {
            throw failure;
        }
        return -1;
    }

    @Override
    public boolean locked(Path path) {
        int fd = check(libc.open(path.toString(), O_RDONLY | O_CLOEXEC, 0), "open", path.toString());
        try {
            if (libc.flock(fd, LOCK_SH | LOCK_NB) == 0) {
                return false;
            }
            if (lastErrorIs(EWOULDBLOCK)) {
                return true;
            }
            throw fail("flock", path.toString());
        } finally {
            libc.close(fd);
        }
    }

    // ---- users ----

    // struct passwd: pw_name (8), pw_passwd (8), pw_uid (4), pw_gid (4), ...; struct group:
    // gr_name (8), gr_passwd (8), gr_gid (4), ...: the Linux LP64 ABI, as in SocketMessages.

    @Override
    public Optional<UserIds> user(String name) {
        long entry = libc.getpwnam(name);
        return entry == 0 ? Optional.empty() : Optional.of(new UserIds(NativeMemory.stringAt(NativeMemory.IO.getAddress(entry)),
                NativeMemory.IO.getInt(entry + 16), NativeMemory.IO.getInt(entry + 20)));
    }

    @Override
    public Optional<Integer> group(String name) {
        long entry = libc.getgrnam(name);
        return entry == 0 ? Optional.empty() : Optional.of(NativeMemory.IO.getInt(entry + 16));
    }

    @Override
    public void dropPrivileges(String user, int uid, int gid) {
        check(libc.initgroups(user, gid), "initgroups", user);
        check(libc.setgid(gid), "setgid", Integer.toString(gid));
        check(libc.setuid(uid), "setuid", Integer.toString(uid));
    }
}
