package dev.drover.master;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * This JVM's options as the {@code java} launcher was given them, read from
 * {@code /proc/self/cmdline}: the JVM's own list ({@code RuntimeMXBean}) costs a starting JVM
 * java.management, ~20 ms of the {@code start -d} command's path to its master and ~10 ms of the
 * master's to its workers. Only a command line it understands for certain is read, with options
 * the launcher passes to the JVM as they are; anything else (an {@code @}argument file, a module's
 * main class, a spelling the launcher rewrites such as {@code -ms64m}, {@code -XX:VMOptionsFile},
 * another launcher) leaves the answer to the JVM. The options of {@code JDK_JAVA_OPTIONS} and {@code JAVA_TOOL_OPTIONS}, which are not on the
 * command line, reach the JVMs drover starts through their environment.
 */
final class LauncherArguments {
    /** The launcher's options whose value is the next word; {@code --name value} is also {@code --name=value}. */
    private static final Set<String> JOINABLE = Set.of("--add-opens", "--add-exports", "--add-reads", "--add-modules", "--limit-modules",
            "--patch-module", "--module-path", "--upgrade-module-path", "--enable-native-access");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");
    /** Assertion switches, alone or with {@code :package...} or {@code :Class}. */
    private static final Set<String> ASSERTIONS = Set.of("-ea", "-da", "-esa", "-dsa", "-enableassertions", "-disableassertions",
            "-enablesystemassertions", "-disablesystemassertions");
    /** Options the launcher acts on itself, which the JVM never sees. */
    private static final Set<String> LAUNCHER_ONLY = Set.of("-showversion", "--show-version", "--dry-run", "--validate-modules", "-client",
            "-server");

    /**
     * Read once, when drover first asks: a master then sets its process title over the same memory,
     * after which {@code /proc/self/cmdline} shows the title (which reads as no launcher's line).
     */
    private static final Optional<List<String>> COMMAND_LINE = read();

    private LauncherArguments() {}

    /** This JVM's options, if its command line reads as {@code java [options] (MainClass | -jar file) args}. */
    static Optional<List<String>> current(List<String> args) {
        return commandLine().flatMap(cmdline -> options(cmdline, args, System.getProperty("sun.java.command", "")));
    }

    /** The words of {@code /proc/self/cmdline} as this class first read them; empty when unreadable. */
    static Optional<List<String>> commandLine() {
        return COMMAND_LINE;
    }

    private static Optional<List<String>> read() {
        try (FileInputStream in = new FileInputStream("/proc/self/cmdline")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> words = new ArrayList<>();
            for (int start = 0, end; start < text.length(); start = end + 1) {
                end = text.indexOf('\0', start);
                if (end < 0) {
                    end = text.length();
                }
                words.add(text.substring(start, end));
            }
            return Optional.of(words);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * The JVM options of a {@code java} launcher's {@code cmdline} whose program arguments are
     * {@code args} and whose {@code sun.java.command} is {@code command}: without the class path,
     * the main class or jar, and the launcher's own options; {@code --add-opens x} as
     * {@code --add-opens=x}, as the JVM lists them. Empty unless the line reads for certain.
     */
    static Optional<List<String>> options(List<String> cmdline, List<String> args, String command) {
        int end = cmdline.size() - args.size();
        if (end < 2 || !cmdline.get(0).equals("java") && !cmdline.get(0).endsWith("/java") || !cmdline.subList(end, cmdline.size()).equals(args)) {
            return Optional.empty();
        }
        String main = command.split(" ", 2)[0];
        List<String> launcher = cmdline.subList(1, end);
        if (main.isEmpty() || !launcher.get(launcher.size() - 1).equals(main)) {
            return Optional.empty();
        }
        boolean jar = launcher.size() >= 2 && launcher.get(launcher.size() - 2).equals("-jar");
        List<String> words = launcher.subList(0, launcher.size() - (jar ? 2 : 1));
        List<String> options = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (CLASS_PATH.contains(word)) {
                i++;
            } else if (JOINABLE.contains(word)) {
                if (++i == words.size()) {
                    return Optional.empty();
                }
                options.add(word + "=" + words.get(i));
            } else if (passesThrough(word)) {
                options.add(word);
            } else if (!word.startsWith("--class-path=") && !LAUNCHER_ONLY.contains(word) && !word.startsWith("-XshowSettings")
                    && !word.startsWith("-splash:")) {
                // an argument file, a module, a spelling the launcher rewrites (-ms64m, -verbosegc), an options
                // file the JVM expands (-XX:VMOptionsFile), or a word not known here: the JVM's own list is right
                return Optional.empty();
            }
        }
        return Optional.of(options);
    }

    /** Whether the launcher hands {@code word} to the JVM as it is, which then lists it so. */
    static boolean passesThrough(String word) {
        if (word.startsWith("-XX:")) {
            return !word.startsWith("-XX:VMOptionsFile=");
        }
        if (word.startsWith("-X")) {
            return word.length() > 2 && !word.startsWith("-XshowSettings") && !word.startsWith("-Xdiag");
        }
        if (word.startsWith("-D") && word.length() > 2 || word.startsWith("-agentlib:") || word.startsWith("-agentpath:")
                || word.startsWith("-javaagent:") || word.equals("-verbose") || word.startsWith("-verbose:") || word.equals("--enable-preview")
                || word.startsWith("--sun-misc-unsafe-memory-access=")) {
            return true;
        }
        int colon = word.indexOf(':');
        if (ASSERTIONS.contains(colon < 0 ? word : word.substring(0, colon))) {
            return true;
        }
        int equals = word.indexOf('=');
        return equals > 0 && JOINABLE.contains(word.substring(0, equals));
    }
}
