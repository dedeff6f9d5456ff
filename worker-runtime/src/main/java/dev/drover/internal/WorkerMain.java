package dev.drover.internal;

import dev.drover.master.Environment;
import dev.drover.master.os.Os;
import dev.drover.master.os.ProcessTitle;
import dev.drover.master.os.UserIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A worker JVM's main class. Takes the listening sockets from the control channel, drops
 * privileges to the group's user, and only then runs the application's {@code main} (so even its
 * static initialisers run as that user); {@code Worker.runAll} there runs this process's group.
 *
 * <p>Arguments: the application's main class, then the application's arguments.
 */
public final class WorkerMain {
    /**
     * Netty's channel ids read this process's id through reflection and {@code ProcessHandle} unless
     * given it (it runs on Java 8 as well): ~3 ms of a worker's start by async-profiler. /proc/self
     * names it without either.
     */
    private static final String NETTY_PROCESS_ID = "io.netty.processId";

    private WorkerMain() {}

    public static void main(String[] args) {
        NettyLog.install();
        if (System.getProperty(NETTY_PROCESS_ID) == null) {
            try {
                System.setProperty(NETTY_PROCESS_ID, Files.readSymbolicLink(Path.of("/proc/self")).toString());
            } catch (IOException | RuntimeException unreadable) {
                // Netty finds it itself
            }
        }
        Supplier<Os> os = Os::linux; // jffi loads on the first use: not at all in most workers
        ControlClient control = new ControlClient(new ControlSocket(Environment.CHANNEL_FD));
        int group = Integer.parseInt(System.getenv(Environment.GROUP));
        int id = Integer.parseInt(System.getenv(Environment.WORKER_ID));
        String title = System.getenv(Environment.TITLE);
        if (title != null) {
            ProcessTitle.set(title); // before the user switch: another user may not write this process's memory (it is no longer dumpable)
        }
        WorkerRuntime runtime;
        try {
            Handoff handoff = Handoff.receive(control.channel());
            if (switchesUser()) {
                openClassPath();
            }
            runtime = new WorkerRuntime(os, control, group, id, handoff);
            dropPrivileges(os, control);
        } catch (RuntimeException | Error e) {
            Fatal.exit(control, "worker start failed", e, 1);
            return;
        }
        WorkerRuntime.install(runtime);
        MainMethod main;
        try {
            main = MainMethod.of(Class.forName(args[0]));
        } catch (ExceptionInInitializerError e) {
            Fatal.exit(control, "the main class " + args[0] + " failed to initialise in worker " + id, e.getCause(), Fatal.STATUS);
            return;
        } catch (ClassNotFoundException | LinkageError e) {
            Fatal.exit(control, "cannot load the main class " + args[0], e, 1);
            return;
        } catch (NoSuchMethodException e) {
            Fatal.exit(control, "cannot find main(String[]) or main() of " + args[0], e, 1);
            return;
        } catch (ReflectiveOperationException e) {
            Fatal.exit(control, "cannot call main() of " + args[0], e, 1);
            return;
        }
        try {
            main.run(Arrays.copyOfRange(args, 1, args.length));
        } catch (Throwable e) {
            // an exception escaped main() or a callback it ran
            Fatal.exit(control, "main() of " + args[0] + " failed in worker " + id, e, Fatal.STATUS);
        }
        Fatal.exit(control, "main() of " + args[0] + " returned without calling Worker.runAll",
                new IllegalStateException("Worker.runAll was not called"), 1);
    }

    private static boolean switchesUser() {
        return System.getenv(Environment.USER) != null || System.getenv(Environment.USER_GROUP) != null;
    }

    /**
     * Opens every jar of the class path while still privileged: the class loader keeps them open,
     * so classes still load after the switch to a user who may not read them (e.g. jars under
     * /root/.m2). A lookup of a resource that exists nowhere visits every entry.
     */
    private static void openClassPath() {
        ClassLoader.getSystemClassLoader().getResource("META-INF/drover/opens-every-jar-" + System.nanoTime());
    }

    /** initgroups, setgid, setuid to the group's user, before any application code runs. */
    private static void dropPrivileges(Supplier<Os> lazyOs, ControlClient control) {
        String user = System.getenv(Environment.USER);
        String groupName = System.getenv(Environment.USER_GROUP);
        if (user == null && groupName == null) {
            return;
        }
        Os os = lazyOs.get();
        UserIds ids = user != null
                ? os.user(user).orElseThrow(() -> new IllegalArgumentException("unknown user '" + user + "' (setUser)"))
                : os.user(System.getProperty("user.name")).orElseThrow();
        int gid = groupName == null ? ids.gid()
                : os.group(groupName).orElseThrow(() -> new IllegalArgumentException("unknown group '" + groupName + "' (setGroup)"));
        if (os.geteuid() != 0) {
            if (ids.uid() != os.geteuid()) {
                control.log("warning: only root can run workers as user " + ids.name() + "; this worker keeps uid " + os.geteuid());
            }
            return;
        }
        os.dropPrivileges(ids.name(), ids.uid(), gid);
    }
}
