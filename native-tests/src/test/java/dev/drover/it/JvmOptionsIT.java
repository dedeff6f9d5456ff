package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drover.it.apps.CountingAgent;
import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: default JVM options for workers (heap, collector) that the operator and the group can
 * override. The JVM refuses two collectors or an initial heap above the maximum, so drover's
 * defaults step aside instead of failing every start.
 */
@Timeout(120)
class JvmOptionsIT {

    @Test
    void theOperatorsAndTheGroupsCollectorAndHeapReplaceDrovers(@TempDir Path dir) throws Exception {
        // The operator runs the parallel collector with a 48 MiB initial heap (the master's default
        // maximum is 32 MiB) and C2 (the master's one compiler thread is for C1 alone); the group asks
        // for the serial one and 300 MiB (the workers' default maximum is 256).
        try (App app = new App(dir, PidApp.class, "-Dapp.count=1", "-Xms48m", "-Dapp.jvmOptions=-XX:+UseSerialGC,-Xms300m")
                .withBaseOptions("-XX:+UseParallelGC", "-XX:TieredStopAtLevel=4")) {
            App.Result start = app.run("start", "-d");
            assertEquals(0, start.code(), "start -d: " + start.all() + "\nlog:\n" + app.log());
            String jvm = Http.get(app.port(), "/jvm");
            assertTrue(jvm.startsWith("gc=Copy,MarkSweepCompact "), "the group's serial collector, not the operator's parallel one: " + jvm);
            assertEquals("heap=" + (300L << 20), jvm.substring(jvm.indexOf(' ') + 1), "the group's initial heap: " + jvm);
            assertEquals(0, app.run("stop").code());
        }
    }

    @Test
    void workersAndTheDaemonMasterSampleTheirCountersOnceASecondUnlessTheOperatorSays(@TempDir Path dir) throws Exception {
        // HotSpot's periodic task thread wakes 20 times a second to sample the counters jstat reads,
        // most of an idle drover JVM's CPU. Java 25 has neither the option nor that timer.
        assumeTrue(Runtime.version().feature() <= 24, "Java " + Runtime.version().feature() + " samples on no timer");
        for (String[] operator : List.of(new String[0], new String[] {"-XX:PerfDataSamplingInterval=200"})) {
            Path appDir = Files.createDirectories(dir.resolve(operator.length == 0 ? "drovers" : "operators"));
            List<String> options = new ArrayList<>(List.of("-Dapp.count=1"));
            options.addAll(List.of(operator));
            try (App app = new App(appDir, PidApp.class, options.toArray(String[]::new))) {
                app.start();
                String wanted = operator.length == 0 ? "1000" : "200";
                assertEquals(wanted, samplingInterval(app.masterPid()), "the daemon master's, with " + List.of(operator));
                assertEquals(wanted, samplingInterval(app.workers().get(0).pid()), "the worker's, with " + List.of(operator));
                assertEquals(0, app.run("stop").code());
            }
        }
    }

    /** The JVM {@code pid}'s {@code PerfDataSamplingInterval} as {@code jcmd VM.flags} lists it; "default" when it lists none. */
    private static String samplingInterval(long pid) {
        Processes.Ran jcmd = Processes.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), "VM.flags");
        assertEquals(0, jcmd.code(), "jcmd " + pid + " VM.flags: " + jcmd.output());
        Matcher interval = Pattern.compile("-XX:PerfDataSamplingInterval=(\\d+)").matcher(jcmd.output());
        return interval.find() ? interval.group(1) : "default";
    }

    @Test
    void anAgentInJavaToolOptionsLoadsOnceInEveryJvm(@TempDir Path dir) throws Exception {
        // Every JVM drover starts inherits JAVA_TOOL_OPTIONS and takes its agent from there; the
        // option must not also come on its command line (the JVM lists it among its input arguments).
        Path loads = dir.resolve("agent-loads");
        String agent = "-javaagent:" + Jars.agent(dir, CountingAgent.class) + "=" + loads;
        try (App app = new App(dir, PidApp.class, "-Dapp.count=2").withEnv("JAVA_TOOL_OPTIONS", agent)) {
            app.start();
            List<Long> drovers = new ArrayList<>(List.of(app.masterPid()));
            app.workers().forEach(w -> drovers.add(w.pid()));
            List<Long> loaded = Files.readAllLines(loads).stream().map(Long::parseLong).toList();
            for (long pid : drovers) {
                assertEquals(1, loaded.stream().filter(p -> p == pid).count(), "loads of the agent in pid " + pid + " (master, then workers: "
                        + drovers + "): " + loaded + "\nlog:\n" + app.log());
            }
            assertEquals(loaded.size(), loaded.stream().distinct().count(), "no JVM loaded the agent twice: " + loaded);
            assertEquals(0, app.run("stop").code());
        }
    }
}
