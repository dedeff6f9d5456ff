package dev.drover.it.apps;

import dev.drover.Timer;
import dev.drover.Worker;
import dev.drover.http.Request;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers HTTP requests with "pid id" of the worker that served it ("pid id os.arch" for GET /arch, its collectors and initial heap
 * "gc=Copy,MarkSweepCompact heap=8388608" for GET /jvm). GET /crash throws, /busy spins
 * forever, /slow?ms=N answers after N ms (the worker is busy meanwhile; it leaves "slow-PID" in
 * app.dir as it starts; with &nested, an onError of its own runs inside it first).
 * System properties: app.listen, app.count, app.logFile, app.reusePort, app.reloadable, app.hangTimeout (seconds),
 * app.maxRequests, app.maxRequestsJitter, app.maxMemory (bytes), app.jvmOptions (the group's, comma-separated), and app.dir, where
 * onWorkerReload and onWorkerStop leave marker files "reloaded-PID" and "stopped-PID", and the
 * master's hooks "master-reload-PID", "master-stop-PID" and "exit-WORKERPID-STATUS-PID"; a worker
 * that starts while "hold-start" exists there leaves "starting-PID" and waits in onWorkerStart
 * until the file is gone; one that starts while "fail-start" exists there throws in onWorkerStart, and
 * one that starts while "crash-when-ready" exists there crashes (SIGSEGV, which the JVM ends with SIGABRT) 0.2 s later.
 * With app.alsoListen (an address), onWorkerStart then listens there too, in this process
 * ({@code Worker.listen()}), answering "PID also", and throws if "fail-after-listen" exists in app.dir;
 * not while "no-also" exists there, and on the address in "also-address" when that exists.
 * GET /stopall and /reloadall call Worker.stopAll() and Worker.reloadAll(); /garbage and /flood
 * write garbage or 20,000 log lines straight onto the worker's control channel (fd 3); /orphan
 * leaves an orphan behind (a shell that exits before its background sleep); /oom fills the heap.
 */
public final class PidApp {
    private PidApp() {}

    public static void main(String[] args) {
        if (System.getProperty("app.logFile") != null) {
            Worker.setLogFile(System.getProperty("app.logFile"));
        }
        Worker web = new Worker(System.getProperty("app.listen", "http://127.0.0.1:0"));
        web.setCount(Integer.getInteger("app.count", 4));
        web.setName("web");
        web.setReusePort(Boolean.getBoolean("app.reusePort"));
        web.setReloadable(!"false".equals(System.getProperty("app.reloadable")));
        if (System.getProperty("app.hangTimeout") != null) {
            web.setHangTimeout(Double.parseDouble(System.getProperty("app.hangTimeout")));
        }
        web.setMaxRequests(Long.getLong("app.maxRequests", 0), Long.getLong("app.maxRequestsJitter", 0));
        web.setMaxMemory(Long.getLong("app.maxMemory", 0));
        if (System.getProperty("app.jvmOptions") != null) {
            web.setJvmOptions(System.getProperty("app.jvmOptions").split(","));
        }
        String dir = System.getProperty("app.dir");
        if (System.getProperty("app.stdout") != null) {
            Worker.setStdoutFile(System.getProperty("app.stdout"));
        }
        web.onWorkerStart(w -> {
            System.out.println("worker " + w.getId() + " says hello on stdout");
            holdWhile(dir, "hold-start");
            if (dir != null && Files.exists(Path.of(dir, "fail-start"))) {
                throw new IllegalStateException("fail-start exists in " + dir);
            }
            if (dir != null && Files.exists(Path.of(dir, "crash-when-ready"))) { // the JVM takes a SIGSEGV it did not expect for a crash
                Timer.once(0.2, () -> new ProcessBuilder("kill", "-SEGV", Long.toString(ProcessHandle.current().pid())).start());
            }
            if (System.getProperty("app.alsoListen") != null && !Files.exists(Path.of(dir, "no-also"))) {
                Path written = Path.of(dir, "also-address");
                Worker also = new Worker(Files.exists(written) ? Files.readString(written).trim() : System.getProperty("app.alsoListen"));
                also.onMessage((connection, data) -> connection.send(ProcessHandle.current().pid() + " also"));
                also.listen();
                if (Files.exists(Path.of(dir, "fail-after-listen"))) {
                    throw new IllegalStateException("fail-after-listen exists in " + dir);
                }
            }
        });
        web.onWorkerReload(w -> mark(dir, "reloaded-"));
        web.onWorkerStop(w -> mark(dir, "stopped-"));
        web.onMasterReload(() -> {
            mark(dir, "master-reload-");
            Worker.log("the application's master hook logs, stopping=" + web.isStopping());
        });
        web.onMasterStop(() -> mark(dir, "master-stop-"));
        web.onWorkerExit((w, pid, status) -> mark(dir, "exit-" + pid + "-" + status + "-"));
        web.onMessage((connection, data) -> {
            Request request = (Request) data;
            switch (request.path()) {
                case "/crash" -> throw new IllegalStateException("crash requested");
                case "/busy" -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                }
                case "/slow" -> {
                    if (request.query("nested").isPresent()) { // a callback runs inside this one first: onError, for a send dropped
                        connection.onError((c, code, message) -> mark(dir, "nested-error-"));
                        connection.setMaxSendBufferSize(1);
                        connection.send("x".repeat(100));
                        connection.send("dropped");
                    }
                    mark(dir, "slow-");
                    Thread.sleep(Long.parseLong(request.query("ms").orElse("1000")));
                }
                case "/later" -> { // answered by a timer, as Workerman applications answer later: once dir/answer-later exists
                    mark(dir, "slow-");
                    String later = ProcessHandle.current().pid() + " " + connection.getWorker().getId();
                    long[] timer = new long[1];
                    timer[0] = Timer.add(0.02, () -> {
                        if (Files.exists(Path.of(dir, "answer-later"))) {
                            Timer.del(timer[0]);
                            connection.send(later);
                        }
                    });
                    return;
                }
                case "/stopall" -> Worker.stopAll();
                case "/reloadall" -> Worker.reloadAll();
                case "/garbage" -> writeToControlChannel("\u0000\u0001\u0002 not a message\n");
                case "/flood" -> writeToControlChannel("log flood\n".repeat(20_000));
                case "/orphan" -> new ProcessBuilder("sh", "-c", "sleep 0.3 & exit 0").start().waitFor();
                case "/oom" -> {
                    List<long[]> held = new ArrayList<>();
                    while (held.size() >= 0) {
                        held.add(new long[1 << 20]);
                    }
                }
                default -> { }
            }
            String answer = ProcessHandle.current().pid() + " " + connection.getWorker().getId();
            connection.send(switch (request.path()) {
                case "/arch" -> answer + " " + System.getProperty("os.arch");
                case "/jvm" -> "gc=" + String.join(",", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList())
                        + " heap=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit();
                default -> answer;
            });
        });
        Worker.runAll(args);
    }

    private static void writeToControlChannel(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.drover.master.os.Os os = dev.drover.master.os.Os.linux();
        for (int at = 0; at < bytes.length; ) {
            at += os.write(3, bytes, at, bytes.length - at);
        }
    }

    /** While {@code dir/file} exists (60 s at most), after leaving "starting-PID" in {@code dir}. */
    private static void holdWhile(String dir, String file) throws Exception {
        if (dir == null || !Files.exists(Path.of(dir, file))) {
            return;
        }
        mark(dir, "starting-");
        for (long end = System.nanoTime() + 60_000_000_000L; Files.exists(Path.of(dir, file)) && System.nanoTime() < end; ) {
            Thread.sleep(10);
        }
    }

    private static void mark(String dir, String prefix) throws java.io.IOException {
        if (dir != null) {
            Files.writeString(Path.of(dir, prefix + ProcessHandle.current().pid()), "");
        }
    }
}
