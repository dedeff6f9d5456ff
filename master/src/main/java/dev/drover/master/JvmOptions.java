package dev.drover.master;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Makes "later options win" true for the JVM options a worker or a master starts with (drover's
 * defaults, then the operator's, then the group's): for most options the JVM itself takes the
 * last, but it refuses to start with two collectors ("Multiple garbage collectors selected") or an
 * initial heap above the maximum, and an explicit {@code -Xmx} silently beats a later
 * {@code -XX:MaxRAMPercentage}; a compiler thread count fits only the compilers it was chosen for,
 * and an initial young generation only the collector and heap it was sized for. So an earlier
 * option of those kinds is left out when a later one chooses the same thing.
 */
public final class JvmOptions {
    /** The collectors HotSpot has had, as in {@code -XX:+UseG1GC} (read without java.util.regex, which a starting JVM loads only for this). */
    private static final Set<String> COLLECTORS = Set.of("Serial", "Parallel", "ParallelOld", "G1", "Z", "Shenandoah", "Epsilon", "ConcMarkSweep");
    private static final List<String> EXPLICIT_MAX = List.of("-Xmx", "-XX:MaxHeapSize=");
    private static final List<String> OTHER_MAX = List.of("-XX:MaxRAM=", "-XX:MaxRAMPercentage=", "-XX:MaxRAMFraction=",
            "-XX:MinRAMPercentage=", "-XX:MinRAMFraction=");
    private static final List<String> EXPLICIT_INITIAL = List.of("-Xms", "-XX:InitialHeapSize=");
    private static final List<String> OTHER_INITIAL = List.of("-XX:InitialRAMPercentage=", "-XX:InitialRAMFraction=");
    /** An initial young generation (drover's is sized for its own small serial heap) goes with a later other collector, initial heap or young size. */
    private static final String INITIAL_YOUNG = "-XX:NewSize=";
    private static final String SERIAL = "-XX:+UseSerialGC";
    private static final List<String> YOUNG = List.of(INITIAL_YOUNG, "-Xmn", "-XX:MaxNewSize=", "-XX:NewRatio=");
    /** A master's one compiler thread fits C1 alone: with C2 back the JVM refuses it ("CICompilerCount (1) must be at least 2"). */
    private static final String COMPILER_COUNT = "-XX:CICompilerCount=";
    private static final List<String> COMPILER_CHOICE = List.of(COMPILER_COUNT, "-XX:TieredStopAtLevel=", "-XX:+TieredCompilation",
            "-XX:-TieredCompilation");

    private JvmOptions() {}

    /** {@code options} in order, without the earlier of two that choose the collector, the maximum or the initial heap, the young generation, or the compilers. */
    public static List<String> resolve(List<String> options) {
        return kept(options, dropped(options), options.size());
    }

    /** The options of {@code first} that {@link #resolve} keeps when {@code later} follow them. */
    public static List<String> yieldTo(List<String> first, List<String> later) {
        List<String> all = new ArrayList<>(first);
        all.addAll(later);
        return kept(all, dropped(all), first.size());
    }

    private static List<String> kept(List<String> options, boolean[] dropped, int count) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!dropped[i]) {
                kept.add(options.get(i));
            }
        }
        return kept;
    }

    private static boolean[] dropped(List<String> options) {
        boolean[] dropped = new boolean[options.size()];
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            for (int later = i + 1; later < options.size() && !dropped[i]; later++) {
                String next = options.get(later);
                dropped[i] = isCollector(option) && isCollector(next)
                        || startsWithAny(option, EXPLICIT_MAX) && (startsWithAny(next, EXPLICIT_MAX) || startsWithAny(next, OTHER_MAX))
                        || startsWithAny(option, EXPLICIT_INITIAL) && (startsWithAny(next, EXPLICIT_INITIAL) || startsWithAny(next, OTHER_INITIAL))
                        || option.startsWith(INITIAL_YOUNG) && (isCollector(next) && !next.equals(SERIAL) || startsWithAny(next, YOUNG)
                                || startsWithAny(next, EXPLICIT_INITIAL) || startsWithAny(next, OTHER_INITIAL))
                        || option.startsWith(COMPILER_COUNT) && startsWithAny(next, COMPILER_CHOICE);
            }
        }
        dropInitialAboveMax(options, dropped);
        return dropped;
    }

    /** An initial heap above the maximum (both as sizes) makes the JVM refuse to start: the earlier of the two goes. */
    private static void dropInitialAboveMax(List<String> options, boolean[] dropped) {
        int initial = lastKept(options, dropped, EXPLICIT_INITIAL);
        int max = lastKept(options, dropped, EXPLICIT_MAX);
        if (initial < 0 || max < 0) {
            return;
        }
        OptionalLong initialBytes = bytes(options.get(initial), EXPLICIT_INITIAL);
        OptionalLong maxBytes = bytes(options.get(max), EXPLICIT_MAX);
        if (initialBytes.isPresent() && maxBytes.isPresent() && initialBytes.getAsLong() > maxBytes.getAsLong()) {
            dropped[Math.min(initial, max)] = true;
        }
    }

    private static int lastKept(List<String> options, boolean[] dropped, List<String> prefixes) {
        for (int i = options.size() - 1; i >= 0; i--) {
            if (!dropped[i] && startsWithAny(options.get(i), prefixes)) {
                return i;
            }
        }
        return -1;
    }

    /** The size an option such as {@code -Xmx256m} or {@code -XX:MaxHeapSize=268435456} gives, if it reads as one. */
    static OptionalLong bytes(String option, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (option.startsWith(prefix)) {
                String value = option.substring(prefix.length());
                int unit = value.isEmpty() ? 0 : "kmgt".indexOf(Character.toLowerCase(value.charAt(value.length() - 1))) + 1;
                String digits = unit > 0 ? value.substring(0, value.length() - 1) : value;
                if (digits.isEmpty()) {
                    return OptionalLong.empty();
                }
                for (int i = 0; i < digits.length(); i++) {
                    if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                        return OptionalLong.empty();
                    }
                }
                int shift = 10 * unit;
                try {
                    return OptionalLong.of(Math.multiplyExact(Long.parseLong(digits), 1L << shift));
                } catch (ArithmeticException | NumberFormatException tooLarge) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean isCollector(String option) {
        return (option.startsWith("-XX:+Use") || option.startsWith("-XX:-Use")) && option.endsWith("GC")
                && COLLECTORS.contains(option.substring("-XX:+Use".length(), Math.max("-XX:+Use".length(), option.length() - 2)));
    }

    private static boolean startsWithAny(String option, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (option.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
