package dev.drover.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.master.JvmCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A drover application under test, driven through its CLI like an operator would: its own temp
 * directory, pid file and log there, small heaps. {@link #close} stops it and kills whatever it
 * left, so a failing test leaves no process behind.
 */
final class App implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String mainClassName;
    private final String simpleName;
    private final List<String> jvmOptions;
    private String java = javaOf(System.getProperty("java.home"));
    private String classPath = TestClassPath.get();
    /** The options every command starts with before the test's own: a small heap, the serial collector, C1 only. */
    private List<String> baseOptions = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private final Set<Long> seenPids = new HashSet<>();
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private int commands;

    App(Path dir, Class<?> main, String... jvmOptions) {
        this(dir, main.getName(), jvmOptions);
    }

    /** An application by class name, e.g. one compiled by the test into a jar. */
    App(Path dir, String mainClassName, String... jvmOptions) {
        this.dir = dir;
        this.mainClassName = mainClassName;
        this.simpleName = mainClassName.substring(mainClassName.lastIndexOf('.') + 1);
        this.jvmOptions = List.of(jvmOptions);
    }

    /** Sets an environment variable for every command (e.g. NOTIFY_SOCKET). */
    App withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Puts {@code entry} (a jar, say) in front of the class path. */
    App withClassPathEntry(Path entry) {
        this.classPath = entry + ":" + classPath;
        return this;
    }

    /** Runs the application from {@code jar} and the runtime jars alone: no class directory, as deployed apps run. */
    App fromJar(Path jar) {
        this.classPath = jar + ":" + TestClassPath.jars();
        return this;
    }

    /** Runs the application from exactly this class path. */
    App withClassPath(String entries) {
        this.classPath = entries;
        return this;
    }

    /** Starts every command with {@code options} in place of the small heap, serial collector and C1 the tests use. */
    App withBaseOptions(String... options) {
        this.baseOptions = List.of(options);
        return this;
    }

    /** Runs the application on another {@code java} executable. */
    App onJava(String javaExecutable) {
        this.java = javaExecutable;
        return this;
    }

    static String javaOf(String javaHome) {
        return Path.of(javaHome, "bin", "java").toString();
    }

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    record WorkerRow(int id, long pid, String name, String listen, String state) {}

    Path dir() {
        return dir;
    }

    Path pidFile() {
        return dir.resolve("app.pid");
    }

    Path logFile() {
        return dir.resolve(simpleName + ".log");
    }

    String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the last {@link #launch}ed command has printed on stdout so far. */
    String launchedOut() {
        try {
            Path out = dir.resolve("foreground.out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The marker files the test apps leave in {@code dir} (their {@code app.dir}) whose names start
     * with one of {@code prefixes}, sorted.
     */
    static List<String> markers(Path dir, String... prefixes) {
        try (var files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> List.of(prefixes).stream().anyMatch(name::startsWith)).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The pids of {@code group}'s workers the log says became ready, in the log's order (replacements too). */
    List<Long> readyInLog(String group) {
        return Pattern.compile("worker\\[" + Pattern.quote(group) + ":(\\d+)\\] id \\d+ ready in")
                .matcher(log()).results().map(m -> Long.parseLong(m.group(1))).toList();
    }

    /** The command line of the application with {@code args}, as an operator would type it. */
    List<String> commandLine(String... args) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(baseOptions);
        command.addAll(JvmCommand.versionOptions(JavaVersions.feature(java)));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClassName));
        command.addAll(List.of(args));
        command.addAll(List.of("--pid-file", pidFile().toString()));
        return command;
    }


    /** Runs a CLI command to its end. */
    Result run(String... args) {
        return run(commandLine(args), args);
    }

    /** Runs a CLI command to its end from a shell that ignores {@code signals} (e.g. {@code "INT HUP"}), as nohup or a background job would. */
    Result runIgnoring(String signals, String... args) {
        return run(ignoring(signals, commandLine(args)), args);
    }

    /** {@code command} run by a shell that ignores {@code signals} and then execs it (the pid stays). */
    private static List<String> ignoring(String signals, List<String> command) {
        return through("trap '' " + signals, command);
    }

    /** {@link #launch} as systemd starts a service it watches: WATCHDOG_PID is the pid of the process it runs (with WATCHDOG_USEC from {@link #withEnv}). */
    Process launchWatched(String... args) {
        return launch(through("export WATCHDOG_PID=$$", commandLine(args)));
    }

    /** {@link #launch} with {@code workingDirectory} as the command's (its pid file and log stay where this app's are). */
    Process launchIn(Path workingDirectory, String... args) {
        return launch(through("cd '" + workingDirectory.toString().replace("'", "'\\''") + "'", commandLine(args)));
    }

    /** {@code command} exec'd by a shell that ran {@code script} first. */
    private static List<String> through(String script, List<String> command) {
        List<String> shell = new ArrayList<>(List.of("bash", "-c", script + "; exec \"$@\"", "bash"));
        shell.addAll(command);
        return shell;
    }

    private Result run(List<String> command, String... args) {
        int n = ++commands;
        Path out = dir.resolve("cmd" + n + ".out");
        Path err = dir.resolve("cmd" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("_JAVA_SR_SIGNUM", "39");
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT + "; log:\n" + log());
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a process that runs the given command in the foreground, output to files in the temp dir. */
    Process launch(String... args) {
        return launch(commandLine(args));
    }

    /** {@link #launch} from a shell that ignores {@code signals}, as a script's background job ignores INT. */
    Process launchIgnoring(String signals, String... args) {
        return launch(ignoring(signals, commandLine(args)));
    }

    private Process launch(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("foreground.out").toFile()).redirectError(dir.resolve("foreground.err").toFile());
        builder.environment().put("_JAVA_SR_SIGNUM", "39");
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code start -d}, which must succeed. */
    App start() {
        Result result = run("start", "-d");
        if (result.code() != 0) {
            throw new AssertionError("start -d exited " + result.code() + ": " + result.all() + "\nlog:\n" + log());
        }
        masterPid();
        return this;
    }

    long masterPid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            seenPids.add(pid);
            return pid;
        } catch (IOException e) {
            throw new UncheckedIOException("no pid file " + pidFile(), e);
        }
    }

    /**
     * Each slot's worker as {@code status --json} lists it (the command must exit 0): its first row
     * for the slot's name and id; the rows after it are workers a reload replaced that still serve.
     */
    List<WorkerRow> workers() {
        List<WorkerRow> rows = new ArrayList<>();
        Set<String> slots = new HashSet<>();
        for (WorkerRow row : processes()) {
            if (slots.add(row.name() + "/" + row.id())) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** Every worker process {@code status --json} lists (the command must exit 0). */
    List<WorkerRow> processes() {
        List<WorkerRow> rows = new ArrayList<>();
        for (JsonNode p : status().get("processes")) {
            WorkerRow row = new WorkerRow(p.get("id").asInt(), p.get("pid").asLong(), p.get("name").asText(), p.get("listen").asText(),
                    p.get("state").asText());
            rows.add(row);
            seenPids.add(row.pid());
        }
        return rows;
    }

    /** {@code status --json}, parsed. */
    JsonNode status() {
        return json("status");
    }

    /** {@code connections --json}, parsed: {@code {"connections": [...]}}. */
    JsonNode connections() {
        return json("connections");
    }

    private JsonNode json(String command) {
        Result result = run(command, "--json");
        if (result.code() != 0) {
            throw new AssertionError(command + " exited " + result.code() + ": " + result.all());
        }
        try {
            return JSON.readTree(result.out());
        } catch (IOException e) {
            throw new AssertionError(command + " --json printed no JSON: " + result.out(), e);
        }
    }

    /** The port the first group listens on, as status shows it. */
    int port() {
        return portOf(workers().get(0));
    }

    /** The port group {@code name} listens on, as status shows it. */
    int port(String name) {
        return portOf(workers().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker of group " + name + " in status")));
    }

    private static int portOf(WorkerRow worker) {
        return Integer.parseInt(worker.listen().substring(worker.listen().lastIndexOf(':') + 1));
    }

    /** Remembers a pid to kill in {@link #close} should it survive. */
    void track(long pid) {
        seenPids.add(pid);
    }

    /**
     * Stops the app, and kills what survives of the processes it saw (their children first). A
     * test that timed out comes here interrupted: the interrupt waits until this is done, so the
     * stop and the kills still run (they left a master and its worker behind).
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            if (Files.exists(pidFile())) {
                run("stop");
            }
        } finally {
            for (long pid : seenPids) {
                if (pid > 0 && Processes.alive(pid)) {
                    Processes.children(pid).forEach(child -> Processes.kill(child, "KILL"));
                    Processes.kill(pid, "KILL");
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
