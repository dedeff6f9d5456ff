package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, acceptance 6: 30 reloads leave the master as they found it: the same descriptors and
 * threads, and its RSS within 10%. The baseline is taken after ten reloads: the first ones load
 * and compile the reload's code and grow the heap to its working size (RSS settles around 55-65 MiB
 * and stays there over 80 reloads).
 */
@Timeout(300)
class LeakIT {

    @Test
    void thirtyReloadsLeaveTheMastersDescriptorsThreadsAndMemoryAsTheyWere(@TempDir Path dir) {
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2")) {
            app.start();
            long master = app.masterPid();
            for (int i = 1; i <= 10; i++) {
                reload(app, master, i);
            }
            Snapshot before = Snapshot.settled(master);
            for (int i = 1; i <= 30; i++) {
                reload(app, master, i);
            }
            Snapshot after = Snapshot.settled(master);
            System.out.println("master before 30 reloads: " + before + "; after: " + after);
            assertEquals(before.descriptors(), after.descriptors(), "descriptors: " + before + " -> " + after + "\n" + Processes.fdTargets(master));
            assertEquals(before.threads().size(), after.threads().size(), "threads: " + before + " -> " + after + "\n" + before.threads() + "\n" + after.threads());
            assertTrue(after.rssKib() <= before.rssKib() * 1.10, "RSS within 10%: " + before + " -> " + after);
        }
    }

    /** One reload by SIGUSR1 (no CLI JVM per reload: the suite's time), done when the log says so. */
    private static void reload(App app, long master, int n) {
        int done = count(app.log(), "reload done: 2 workers replaced");
        Processes.kill(master, "USR1");
        Await.until("reload " + n + " done", Duration.ofSeconds(60), () -> count(app.log(), "reload done: 2 workers replaced") > done);
    }

    /** A thread's name, as the kernel has it; gone when the thread ended since it was listed. */
    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return "(gone)";
        }
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    /**
     * The master's descriptors, threads (their names, sorted), and RSS. The JIT's compiler
     * threads are not counted: the JVM starts and ends them with its compile queue
     * (UseDynamicNumberOfCompilerThreads), one or two C1 threads in the same master.
     */
    private record Snapshot(long descriptors, List<String> threads, long rssKib) {
        /**
         * A snapshot taken when no signal's handler thread is alive. The JDK starts one for each
         * signal delivered (the SIGCHLD that woke the loop for the reload's last exit may still
         * be running as the log says done), and until it has named itself "SIGCHLD handler" the
         * kernel shows it with its creator's name: a second "Signal Dispatch".
         */
        static Snapshot settled(long pid) {
            return Await.value("master " + pid + " without a signal handler thread", Duration.ofSeconds(10), () -> {
                Snapshot s = of(pid);
                boolean handling = s.threads.stream().anyMatch(n -> n.matches("SIG[A-Z0-9]+ handl.*") || n.equals("(gone)"))
                        || s.threads.stream().filter(n -> n.startsWith("Signal Dispatch")).count() > 1;
                return handling ? null : s;
            });
        }

        static Snapshot of(long pid) {
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd")); Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                long rss = Long.parseLong(Processes.status(pid, "VmRSS").orElseThrow().replace("kB", "").trim());
                List<String> threads = tasks.map(LeakIT::threadName).filter(n -> !n.matches("C[12] CompilerThre.*")).sorted().toList();
                return new Snapshot(fds.count(), threads, rss);
            } catch (IOException e) {
                throw new AssertionError("cannot read /proc/" + pid + ": " + e, e);
            }
        }

        @Override
        public String toString() {
            return descriptors + " fds, " + threads.size() + " threads, " + rssKib / 1024 + " MiB RSS";
        }
    }
}
