package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: as a container's first process (PID 1 of its own pid namespace, through
 * {@code unshare --pid --fork --mount-proc}), the master reaps every orphan, not only its workers.
 */
@Timeout(120)
class Pid1IT {

    @Test
    void theMasterAsPid1ReapsOrphansOfItsWorkers(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "unshare --pid needs root");
        App app = new App(dir, PidApp.class, "-Dapp.count=1");
        List<String> argv = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        argv.addAll(app.commandLine("start"));
        Process container = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectOutput(dir.resolve("container.out").toFile()).redirectErrorStream(true).start();
        try {
            Await.until("the master serves", Duration.ofSeconds(60), () -> app.log().contains("started: 1 workers ready"));
            assertTrue(app.log().contains("master pid 1,") || app.log().contains("pid:1 "), "the master is PID 1 of its namespace:\n" + app.log());
            long master = Await.value("the master's pid outside the namespace", Duration.ofSeconds(10),
                    () -> Processes.children(container.pid()).stream().findFirst().orElse(null));
            int port = app.port();

            for (int i = 0; i < 3; i++) {
                Http.get(port, "/orphan");
            }
            Await.until("three orphans reaped", Duration.ofSeconds(30), () -> count(app.log(), "reaped orphan pid") >= 3);
            Await.until("no zombie under the master", Duration.ofSeconds(10),
                    () -> Processes.children(master).stream().noneMatch(c -> "Z".equals(Processes.state(c).orElse(""))));
            assertEquals(1, Processes.children(master).size(), "only the worker is left under the master: " + Processes.children(master));
            assertTrue(app.log().contains("(exit status 0)"), app.log());
            assertTrue(Http.get(port, "/").endsWith(" 0"), "the worker still serves");

            Processes.kill(master, "TERM");
            assertTrue(container.waitFor(30, TimeUnit.SECONDS), "the container ends with its master");
            assertFalse(Files.exists(app.pidFile()), "the pid file is removed");
        } finally {
            // Killing the namespace's PID 1 ends everything in it; killing unshare alone would not.
            Processes.children(container.pid()).forEach(pid -> Processes.kill(pid, "KILL"));
            container.destroyForcibly();
            container.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
