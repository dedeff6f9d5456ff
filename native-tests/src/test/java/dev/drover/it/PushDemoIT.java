package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 6, acceptance 1: the README's demo, started with the launcher, pushed to a real browser. */
@Timeout(180)
class PushDemoIT {
    @Test
    void aPushReachesTheBrowserPage(@TempDir Path dir) throws Exception {
        int ws = Ports.free();
        int text = Ports.free();
        int http = Ports.free();
        String javaOpts = "-Xmx64m -Dpush.websocket=websocket://127.0.0.1:" + ws + " -Dpush.text=text://127.0.0.1:" + text
                + " -Dpush.http=http://127.0.0.1:" + http;
        Path pidFile = dir.resolve("push.pid");
        try {
            assertEquals(0, launcher(dir, javaOpts, "start", "-d", "--pid-file", pidFile.toString()), "the demo started");
            try (Browser browser = new Browser(dir, "http://127.0.0.1:" + http + "/?uid=7&ws=" + ws)) {
                Await.value("the page registered uid 7", Duration.ofSeconds(30), () -> registered(browser));
                assertEquals("ok", TextClient.ask(text, "{\"uid\":\"7\",\"percent\":\"88%\"}"));
                Await.until("the page shows the pushed value", Duration.ofSeconds(30),
                        () -> "88%".equals(percent(browser)));
                assertEquals("fail", TextClient.ask(text, "{\"uid\":\"nobody\",\"percent\":\"1%\"}"));
            }
        } finally {
            launcher(dir, "", "stop", "--pid-file", pidFile.toString());
        }
    }

    private static String registered(Browser browser) {
        try {
            String state = browser.evaluate("document.getElementById('state').textContent");
            return state.equals("registered as uid 7") ? state : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String percent(Browser browser) {
        try {
            return browser.evaluate("document.getElementById('percent').textContent");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** scripts/drover with the demo's main class and {@code javaOpts}; its exit code. */
    private static int launcher(Path dir, String javaOpts, String... args) throws Exception {
        return Launcher.run(dir, "dev.drover.examples.Push", env -> env.put("JAVA_OPTS", javaOpts), args).code();
    }
}
