package dev.drover.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The input arguments below are laid out as Java 17 and 25 list them (checked with both JVMs). */
class EnvironmentOptionsTest {

    @Test
    void theVariablesOptionsAreSplitAsTheJvmSplitsThem() {
        assertEquals(List.of("-Dq=a b", "-javaagent:/opt/agent.jar=x", "-Dr=c d e"),
                EnvironmentOptions.tokens("  '-Dq=a b'\t-javaagent:/opt/agent.jar=x \n -Dr=\"c d\"' e' "));
        assertEquals(List.of(), EnvironmentOptions.tokens(null));
        assertEquals(List.of(), EnvironmentOptions.tokens("   "));
    }

    @Test
    void optionsFromTheEnvironmentAreLeftOutWhereTheJvmPutThem() {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:/opt/agent.jar '-Dq=a b'", "JDK_JAVA_OPTIONS", "-Djdk=2",
                "_JAVA_OPTIONS", "-Dlast=4");
        List<String> input = List.of("-javaagent:/opt/agent.jar", "-Dq=a b", "-Djdk=2", "-Xmx64m", "-Dcmd=3", "-Dlast=4");
        assertEquals(List.of("-Xmx64m", "-Dcmd=3"), EnvironmentOptions.without(input, env));
    }

    @Test
    void anOptionGivenOnTheCommandLineAsWellStaysOnce() {
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Dtool=1");
        assertEquals(List.of("-Dtool=1"), EnvironmentOptions.without(List.of("-Dtool=1", "-Dtool=1"), env));
    }

    @Test
    void theLaunchersJoinedModuleOptionsAreRecognised() {
        Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", "--add-opens java.base/java.lang=ALL-UNNAMED -Dx=1");
        List<String> input = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dx=1", "-Dcmd=3");
        assertEquals(List.of("-Dcmd=3"), EnvironmentOptions.without(input, env));
    }

    @Test
    void optionsNotFoundWhereExpectedAreKept() {
        List<String> input = List.of("-Dexpanded=1", "-Dcmd=3");
        assertEquals(input, EnvironmentOptions.without(input, Map.of("JDK_JAVA_OPTIONS", "@/etc/app/jvm.args")));
        assertEquals(input, EnvironmentOptions.without(input, Map.of("JAVA_TOOL_OPTIONS", "-Dexpanded=1 -Dother=2")));
        assertEquals(input, EnvironmentOptions.without(input, Map.of()));
    }
}
