package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.CountingAgent;
import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
