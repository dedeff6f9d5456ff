package dev.drover.master;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's command in its plain form, read without picocli: in a command's JVM, which has no
 * class archive, picocli's model of {@link Cli} took ~200 ms of CPU (and as much again of the JIT's)
 * before {@code stop} or {@code status} did anything, where the command's own work is a few ms. A
 * plain form is a command name, its own flags each at most once, spelt out (no {@code -dg}), any
 * positional arguments it takes, and {@code --pid-file FILE}; anything else (help, a typo, an
 * option's value glued on) is picocli's to read and to explain.
 *
 * @param name    the command
 * @param flags   its flags, in their long spelling ({@code --graceful} for {@code -g})
 * @param words   its positional arguments ({@code scale NAME COUNT})
 * @param pidFile {@code --pid-file}'s value, if given
 */
record PlainCommand(String name, Set<String> flags, List<String> words, Optional<Path> pidFile) {
    /** Each command's flags, short spelling to long (a long one to itself); its positional arguments' count. */
    private static final Map<String, Map<String, String>> FLAGS = Map.of(
            "start", Map.of("-d", "--daemon", "--daemon", "--daemon", "--watch", "--watch"),
            "stop", Map.of("-g", "--graceful", "--graceful", "--graceful"),
            "restart", Map.of("-d", "--daemon", "--daemon", "--daemon", "-g", "--graceful", "--graceful", "--graceful", "--cold", "--cold"),
            "reload", Map.of("-g", "--graceful", "--graceful", "--graceful"),
            "scale", Map.of(),
            "status", Map.of("-d", "--live", "--live", "--live", "--json", "--json"),
            "connections", Map.of("--json", "--json"));
    private static final Map<String, Integer> WORDS = Map.of("scale", 2);

    /** {@code args} as a plain form; empty when picocli must read them. */
    static Optional<PlainCommand> of(String[] args) {
        if (args.length == 0 || !FLAGS.containsKey(args[0])) {
            return Optional.empty();
        }
        Map<String, String> known = FLAGS.get(args[0]);
        Set<String> flags = new HashSet<>();
        List<String> words = new ArrayList<>();
        Path pidFile = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            if (arg.equals("--pid-file") && i + 1 < args.length) {
                value = args[++i];
            } else if (arg.startsWith("--pid-file=")) {
                value = arg.substring("--pid-file=".length());
            }
            if (value != null) {
                if (pidFile != null || value.isEmpty() || value.startsWith("-")) {
                    return Optional.empty();
                }
                pidFile = Path.of(value);
            } else if (known.containsKey(arg)) {
                if (!flags.add(known.get(arg))) {
                    return Optional.empty();
                }
            } else if (!arg.startsWith("-") && words.size() < wordCount(args[0])) {
                words.add(arg);
            } else {
                return Optional.empty();
            }
        }
        if (words.size() != wordCount(args[0])) {
            return Optional.empty();
        }
        return Optional.of(new PlainCommand(args[0], Set.copyOf(flags), List.copyOf(words), Optional.ofNullable(pidFile)));
    }

    /** The flags {@code command}'s plain form reads, in either spelling. */
    static Set<String> flagNames(String command) {
        return FLAGS.get(command).keySet();
    }

    /** How many positional arguments {@code command} takes. */
    static int wordCount(String command) {
        return WORDS.getOrDefault(command, 0);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }
}
