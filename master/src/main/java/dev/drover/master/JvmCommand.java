package dev.drover.master;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * How to start this application again: the same {@code java}, JVM options, class path, main class
 * and arguments. The JVM cannot fork, so daemons and workers are new JVMs of the same program.
 *
 * @param java the {@code java} executable of this JVM
 * @param jvmOptions this JVM's options from its command line (debugger agents left out: a second one could not bind)
 * @param classPath this JVM's class path (the jar itself when started with {@code -jar})
 * @param mainClass the application's main class
 * @param args the application's arguments
 */
public record JvmCommand(String java, List<String> jvmOptions, String classPath, String mainClass, List<String> args) {
    /** The worker JVM's own main class: it takes the descriptors, drops privileges, then runs the app's main. */
    public static final String WORKER_BOOTSTRAP = "dev.drover.internal.WorkerMain";

    public JvmCommand {
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
    }

    /**
     * The options a master JVM that drover starts (the daemon of {@code start -d}, a restart's
     * successor) runs with: a small heap and a quick compiler, for a supervisor that mostly waits.
     * They end with {@link #MASTER_OPTIONS_END}, and are not passed on to workers or successors.
     */
    public static final List<String> MASTER_OPTIONS = List.of("-Xms8m", "-XX:NewSize=512k", "-Xmx32m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-Xss512k", "-XX:MaxMetaspaceSize=96m",
            "-XX:+ExitOnOutOfMemoryError");
    /** Marks the end of {@link #MASTER_OPTIONS} on a master's command line; the operator's own options follow. */
    public static final String MASTER_OPTIONS_END = "-Ddrover.masterOptions=end";

    /** This JVM's command (without {@link #MASTER_OPTIONS}: those are the master's alone). */
    public static JvmCommand current(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> input = inputArguments(args);
        List<String> options = input.subList(input.indexOf(MASTER_OPTIONS_END) + 1, input.size()).stream()
                .filter(o -> !o.startsWith("-agentlib:jdwp") && !o.startsWith("-Xrunjdwp") && !o.startsWith("-Xdebug"))
                .toList();
        String classPath = System.getProperty("java.class.path");
        return new JvmCommand(java, options, classPath, detectMainClass(), args);
    }

    /** The options before {@link #MASTER_OPTIONS_END} on this JVM's command line: none unless drover started this master. */
    public static List<String> ownMasterOptions() {
        // drover puts them first on a master's command line, so the words before the mark are they
        List<String> input = LauncherArguments.commandLine().filter(words -> words.contains(MASTER_OPTIONS_END))
                .map(words -> words.subList(1, words.size())).orElseGet(JvmCommand::jvmInputArguments);
        return List.copyOf(input.subList(0, Math.max(0, input.indexOf(MASTER_OPTIONS_END))));
    }

    /**
     * This JVM's options from its command line (program arguments {@code args}), as its launcher
     * read them ({@link LauncherArguments}) or else as the JVM lists them: those from its
     * environment reach the JVMs it starts through their environment.
     */
    private static List<String> inputArguments(List<String> args) {
        return LauncherArguments.current(args).orElseGet(JvmCommand::jvmInputArguments);
    }

    private static List<String> jvmInputArguments() {
        return EnvironmentOptions.without(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv());
    }

    /** The application's main class: from the launcher's command, a jar's manifest, or the main thread's stack. */
    public static String detectMainClass() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.isBlank() ? "" : command.split(" ")[0];
        if (first.endsWith(".jar")) {
            try (JarFile jar = new JarFile(first)) {
                return jar.getManifest().getMainAttributes().getValue("Main-Class");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read Main-Class of " + first + ": " + e.getMessage(), e);
            }
        }
        if (!first.isEmpty()) {
            return first;
        }
        StackTraceElement[] stack = Thread.currentThread().getStackTrace();
        return stack[stack.length - 1].getClassName();
    }

    /** Options every JVM we start gets for this JVM's Java version (see PITFALLS). */
    public static List<String> versionOptions() {
        return versionOptions(Runtime.version().feature());
    }

    /** Options a JVM of Java {@code feature} needs for jnr and Netty: native access from 22, Unsafe from 24. */
    public static List<String> versionOptions(int feature) {
        List<String> options = new ArrayList<>();
        if (feature >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        if (feature >= 24) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return options;
    }

    /** The buckets a JVM we start begins its interned-string and symbol tables with ({@link #tableOptions}). */
    static final int TABLE_BUCKETS = 4096;

    /**
     * The interned-string and symbol tables of a JVM of Java {@code feature} at {@link #TABLE_BUCKETS}
     * buckets instead of the JDK's 65,536 and 32,768: those bucket arrays are 768 KiB written at every
     * JVM's start, where an idle worker holds ~2,700 strings and ~900 symbols (the rest are its class
     * archive's). Each table grows by itself as it fills. The symbol table's size is an experimental
     * option, there from 17 to 25 at least.
     */
    public static List<String> tableOptions(int feature) {
        List<String> options = new ArrayList<>(List.of("-XX:StringTableSize=" + TABLE_BUCKETS));
        if (feature >= 17 && feature <= 25) {
            options.add("-XX:+UnlockExperimentalVMOptions");
            options.add("-XX:SymbolTableSize=" + TABLE_BUCKETS);
        }
        return options;
    }

    /** How often (ms) a JVM we start gives the C heap glibc keeps after a malloc burst (JIT, TLS handshakes) back to the OS. */
    static final int NATIVE_HEAP_TRIM_MILLIS = 5000;

    /**
     * {@code -XX:TrimNativeHeapInterval} where {@code version} has it as a product option (17.0.11,
     * 21.0.3, 22.0.1 and later): glibc otherwise keeps what the JIT freed, some 15 MB after a load.
     */
    public static List<String> nativeHeapTrim(Runtime.Version version) {
        int feature = version.feature();
        int update = version.update();
        boolean product = feature >= 23 || feature == 22 && update >= 1 || feature == 21 && update >= 3 || feature == 17 && update >= 11;
        return product ? List.of("-XX:TrimNativeHeapInterval=" + NATIVE_HEAP_TRIM_MILLIS) : List.of();
    }

    /** How often (ms) a JVM we start samples its performance counters ({@link #perfDataSampling}). */
    static final int PERF_DATA_SAMPLING_MILLIS = 1000;

    /**
     * {@code -XX:PerfDataSamplingInterval} where Java {@code feature} has it (removed in 25, whose
     * JVM no longer samples on a timer): HotSpot's periodic task thread otherwise wakes 20 times a
     * second to sample the counters {@code jstat} reads, most of an idle worker's or master's CPU
     * (1.5-2 ms a second each on a machine where a wake-up is dear). Counters that change at an event
     * (collections, compilations, class loading) are unaffected; the sampled ones (a space's use)
     * are at most a second old.
     */
    public static List<String> perfDataSampling(int feature) {
        return feature <= 24 ? List.of("-XX:PerfDataSamplingInterval=" + PERF_DATA_SAMPLING_MILLIS) : List.of();
    }

    /**
     * The tuning every JVM drover starts (workers, daemon masters, successors) gets for Java
     * {@code version}: {@link #tableOptions}, {@link #nativeHeapTrim} and {@link #perfDataSampling}.
     */
    public static List<String> tuning(Runtime.Version version) {
        List<String> options = new ArrayList<>(tableOptions(version.feature()));
        options.addAll(nativeHeapTrim(version));
        options.addAll(perfDataSampling(version.feature()));
        return options;
    }

    /** The argv of the same program, with {@code extraOptions} before this JVM's options (which win). */
    public List<String> relaunch(String argv0, List<String> extraOptions) {
        List<String> argv = new ArrayList<>();
        argv.add(argv0);
        argv.addAll(extraOptions);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(mainClass);
        argv.addAll(args);
        return argv;
    }

    /** The options of a worker JVM: defaults, then this JVM's options, then the group's; later ones win ({@link JvmOptions}). */
    public List<String> workerOptions(List<String> defaults, List<String> groupOptions) {
        List<String> options = new ArrayList<>(defaults);
        for (String option : jvmOptions) {
            if (!defaults.contains(option)) {
                options.add(option);
            }
        }
        options.addAll(groupOptions);
        return JvmOptions.resolve(options);
    }

    /** The argv of a worker JVM with {@code options} (see {@link #workerOptions}). */
    public List<String> worker(String argv0, List<String> options) {
        List<String> argv = new ArrayList<>();
        argv.add(argv0);
        argv.addAll(options);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(WORKER_BOOTSTRAP);
        argv.add(mainClass);
        argv.addAll(args);
        return argv;
    }
}
