package dev.drover.master;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JVM options a JVM took from its environment rather than its command line. The JVM lists
 * them among its input arguments: those of {@code JAVA_TOOL_OPTIONS}, then {@code JDK_JAVA_OPTIONS}
 * (the launcher's), first; those of {@code _JAVA_OPTIONS} last. Every JVM drover starts inherits
 * that environment and takes them again, so passing them on as well would give a master or a worker
 * each of them twice, and an agent there ({@code -javaagent}, {@code -agentpath}) would load twice.
 */
final class EnvironmentOptions {
    /** Options the launcher takes with their value as the next argument and hands the JVM as {@code option=value}. */
    private static final Set<String> JOINED_BY_THE_LAUNCHER = Set.of("--add-modules", "--limit-modules", "--add-exports", "--add-opens",
            "--add-reads", "--patch-module", "--upgrade-module-path", "--enable-native-access");

    private EnvironmentOptions() {}

    /**
     * {@code input} (a JVM's input arguments) without the options that {@code env}'s variables put
     * there. A variable whose options are not found where the JVM puts them (an {@code @}argument
     * file the launcher expanded, say) is left in: its options then come twice, as before.
     */
    static List<String> without(List<String> input, Map<String, String> env) {
        int start = 0;
        start += prefix(input, start, tokens(env.get("JAVA_TOOL_OPTIONS")), false);
        start += prefix(input, start, tokens(env.get("JDK_JAVA_OPTIONS")), true);
        List<String> last = tokens(env.get("_JAVA_OPTIONS"));
        int end = input.size();
        if (end - start >= last.size() && input.subList(end - last.size(), end).equals(last)) {
            end -= last.size();
        }
        return List.copyOf(input.subList(start, end));
    }

    /** How many arguments of {@code input} from {@code start} are {@code options}, or 0 if they are not all there in order. */
    private static int prefix(List<String> input, int start, List<String> options, boolean launcher) {
        int at = start;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (at < input.size() && input.get(at).equals(option)) {
                at++;
            } else if (launcher && JOINED_BY_THE_LAUNCHER.contains(option) && i + 1 < options.size() && at < input.size()
                    && input.get(at).equals(option + "=" + options.get(i + 1))) {
                at++;
                i++;
            } else {
                return 0;
            }
        }
        return at - start;
    }

    /** {@code value} split as the JVM splits these variables: at white space, quotes (single or double) keeping theirs and dropped. */
    static List<String> tokens(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        char quote = 0;
        for (char c : value.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    token.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
            } else {
                if (token == null) {
                    token = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else {
                    token.append(c);
                }
            }
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }
}
