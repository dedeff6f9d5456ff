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
 * @param jvmOptions this JVM's options (debugger agents left out: a second one could not bind)
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

    /** This JVM's command. */
    public static JvmCommand current(List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(o -> !o.startsWith("-agentlib:jdwp") && !o.startsWith("-Xrunjdwp") && !o.startsWith("-Xdebug"))
                .toList();
        String classPath = System.getProperty("java.class.path");
        return new JvmCommand(java, options, classPath, detectMainClass(), args);
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

    /** The argv of the same program, with {@code extraOptions} after this JVM's options. */
    public List<String> relaunch(String argv0, List<String> extraOptions) {
        List<String> argv = new ArrayList<>();
        argv.add(argv0);
        argv.addAll(jvmOptions);
        argv.addAll(extraOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(mainClass);
        argv.addAll(args);
        return argv;
    }

    /** The argv of a worker JVM: defaults, then this JVM's options, then the group's. */
    public List<String> worker(String argv0, List<String> defaults, List<String> groupOptions) {
        List<String> argv = new ArrayList<>();
        argv.add(argv0);
        argv.addAll(defaults);
        for (String option : jvmOptions) {
            if (!defaults.contains(option)) {
                argv.add(option);
            }
        }
        argv.addAll(groupOptions);
        argv.add("-cp");
        argv.add(classPath);
        argv.add(WORKER_BOOTSTRAP);
        argv.add(mainClass);
        argv.addAll(args);
        return argv;
    }
}
