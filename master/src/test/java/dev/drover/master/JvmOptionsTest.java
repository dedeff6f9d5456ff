package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {
    private static final List<String> WORKER_DEFAULTS = List.of("-Xms8m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private static List<String> after(List<String> first, String... later) {
        return JvmOptions.yieldTo(first, List.of(later));
    }

    @Test
    void unrelatedOptionsChangeNothing() {
        assertEquals(WORKER_DEFAULTS, after(WORKER_DEFAULTS, "-Xss1m", "-Dapp=1", "-XX:TieredStopAtLevel=1", "-Xmn4m"));
        List<String> plain = List.of("-Dx=1", "-Xss1m", "-Dx=2");
        assertEquals(plain, JvmOptions.resolve(plain), "repeated ordinary options are the JVM's to settle");
    }

    @Test
    void aLaterCollectorReplacesTheDefaultOne() {
        assertEquals(List.of("-Xms8m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-XX:+UseParallelGC"));
        assertEquals(List.of("-Xms8m", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-XX:-UseSerialGC"),
                "turning the default off leaves the choice to the JVM");
        assertEquals(List.of("-Xmx64m", "-XX:+UseZGC"), JvmOptions.resolve(List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:+UseG1GC", "-XX:+UseZGC")));
    }

    @Test
    void aLaterMaximumHeapReplacesAnExplicitOne() {
        assertEquals(List.of("-Xms8m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-Xmx2g"));
        assertEquals(List.of("-Xms8m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-XX:MaxRAMPercentage=50"),
                "an -Xmx would silently beat the percentage");
        assertEquals(List.of("-XX:MaxRAM=4g", "-XX:MaxRAMPercentage=50"), JvmOptions.resolve(List.of("-XX:MaxRAM=4g", "-XX:MaxRAMPercentage=50")));
    }

    @Test
    void aLaterInitialHeapReplacesAnExplicitOne() {
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-Xms16m"));
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-XX:InitialHeapSize=16777216"));
    }

    @Test
    void anInitialHeapAboveTheMaximumDropsTheEarlierOfTheTwo() {
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), after(WORKER_DEFAULTS, "-Xms512m"),
                "the default maximum would be below the operator's initial heap");
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC"), after(List.of("-Xmx256m", "-XX:+UseSerialGC"), "-Xms256m"), "equal is fine");
        assertEquals(List.of("-XX:+UseSerialGC"), after(List.of("-Xms8m", "-XX:+UseSerialGC"), "-Xmx4m"));
        // The operator's options, then a group's that contradict them: the group's win.
        assertEquals(List.of("-Xms300m"), JvmOptions.resolve(List.of("-Xmx64m", "-Xms300m")));
        assertEquals(List.of("-Xmx64m"), JvmOptions.resolve(List.of("-Xms300m", "-Xmx64m")));
    }

    @Test
    void theDefaultYoungGenerationGoesWithALaterCollectorInitialHeapOrYoungSize() {
        List<String> defaults = List.of("-Xms8m", "-XX:NewSize=512k", "-XX:+UseSerialGC");
        assertEquals(defaults, after(defaults, "-Xmx2g", "-XX:NewSizeThreadIncrease=8k"), "a larger maximum keeps the small start");
        assertEquals(List.of("-Xms8m", "-XX:NewSize=512k"), after(defaults, "-XX:+UseSerialGC"), "the same collector again");
        assertEquals(List.of("-Xms8m"), after(defaults, "-XX:-UseSerialGC"));
        assertEquals(List.of("-Xms8m", "-XX:+UseG1GC"), JvmOptions.resolve(List.of("-Xms8m", "-XX:NewSize=512k", "-XX:+UseSerialGC", "-XX:+UseG1GC")),
                "sized for the serial collector");
        assertEquals(List.of("-XX:+UseSerialGC"), after(defaults, "-Xms512m"), "512 KiB of a 512 MiB heap would stay young until a full collection");
        assertEquals(List.of("-XX:+UseSerialGC"), after(defaults, "-XX:InitialRAMPercentage=5"));
        for (String young : List.of("-Xmn4m", "-XX:NewSize=2m", "-XX:MaxNewSize=256k", "-XX:NewRatio=1")) {
            assertEquals(List.of("-Xms8m", "-XX:+UseSerialGC"), after(defaults, young), young);
        }
        List<String> operators = List.of("-XX:NewRatio=1", "-Xmn64m");
        assertEquals(operators, JvmOptions.resolve(operators), "only an initial young size yields");
    }

    @Test
    void theMastersCompilerThreadCountGoesWithALaterCompilerChoice() {
        List<String> master = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss512k");
        assertEquals(master, JvmOptions.resolve(master), "its own defaults stay together");
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-Xss512k"), after(master, "-XX:TieredStopAtLevel=4"),
                "C2 back with one compiler thread: the JVM would refuse to start");
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-Xss512k"), after(master, "-XX:CICompilerCount=3"));
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-Xss512k"), after(master, "-XX:-TieredCompilation"));
        assertEquals(master, after(master, "-XX:ReservedCodeCacheSize=32m"));
    }

    @Test
    void sizesReadAsTheJvmReadsThem() {
        List<String> max = List.of("-Xmx", "-XX:MaxHeapSize=");
        assertEquals(OptionalLong.of(256L << 20), JvmOptions.bytes("-Xmx256m", max));
        assertEquals(OptionalLong.of(2L << 30), JvmOptions.bytes("-Xmx2G", max));
        assertEquals(OptionalLong.of(1L << 40), JvmOptions.bytes("-Xmx1t", max));
        assertEquals(OptionalLong.of(65536L << 10), JvmOptions.bytes("-Xmx65536k", max));
        assertEquals(OptionalLong.of(268435456L), JvmOptions.bytes("-XX:MaxHeapSize=268435456", max));
        assertEquals(OptionalLong.empty(), JvmOptions.bytes("-Xmx1.5g", max));
        assertEquals(OptionalLong.empty(), JvmOptions.bytes("-Xmx99999999999999999999", max));
    }
}
