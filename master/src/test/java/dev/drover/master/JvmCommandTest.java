package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmCommandTest {
    private static List<String> trim(String version) {
        return JvmCommand.nativeHeapTrim(Runtime.Version.parse(version));
    }

    @Test
    void nativeHeapTrimOnlyWhereTheOptionIsAProductOption() {
        List<String> on = List.of("-XX:TrimNativeHeapInterval=" + JvmCommand.NATIVE_HEAP_TRIM_MILLIS);
        assertEquals(on, trim("17.0.15+6"));
        assertEquals(on, trim("17.0.11"));
        assertEquals(List.of(), trim("17.0.10"), "experimental before 17.0.11: the JVM would refuse it");
        assertEquals(List.of(), trim("17"));
        assertEquals(List.of(), trim("21.0.2"));
        assertEquals(on, trim("21.0.3"));
        assertEquals(List.of(), trim("22"));
        assertEquals(on, trim("22.0.1"));
        assertEquals(on, trim("25.0.3+9-LTS"));
        assertEquals(List.of(), trim("19.0.2"), "18 to 20 never had it");
    }

    @Test
    void smallerTablesWhereTheJvmHasTheirOptions() {
        List<String> strings = List.of("-XX:StringTableSize=4096");
        List<String> both = List.of("-XX:StringTableSize=4096", "-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=4096");
        assertEquals(both, JvmCommand.tableOptions(17));
        assertEquals(both, JvmCommand.tableOptions(21));
        assertEquals(both, JvmCommand.tableOptions(25));
        assertEquals(strings, JvmCommand.tableOptions(26), "an experimental option may be gone in a release not known here");
    }

    @Test
    void countersSampledOnceASecondWhereTheJvmStillSamplesOnATimer() {
        List<String> once = List.of("-XX:PerfDataSamplingInterval=1000");
        assertEquals(once, JvmCommand.perfDataSampling(17));
        assertEquals(once, JvmCommand.perfDataSampling(21));
        assertEquals(once, JvmCommand.perfDataSampling(24));
        assertEquals(List.of(), JvmCommand.perfDataSampling(25), "25 removed the option (it warns that it ignores it) with the timer");
    }

    @Test
    void theTuningOfEveryJvmDroverStartsIsItsTablesTrimAndSampling() {
        assertEquals(List.of("-XX:StringTableSize=4096", "-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=4096",
                "-XX:TrimNativeHeapInterval=5000", "-XX:PerfDataSamplingInterval=1000"), JvmCommand.tuning(Runtime.Version.parse("17.0.15")));
        assertEquals(List.of("-XX:StringTableSize=4096", "-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=4096",
                "-XX:TrimNativeHeapInterval=5000"), JvmCommand.tuning(Runtime.Version.parse("25.0.1")));
    }
}
