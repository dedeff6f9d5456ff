package dev.drover.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The push demo (dev.drover.examples.Push) as a test app, in its multi-process mode. */
final class PushApps {
    private PushApps() {}

    static App cluster(Path dir, int count, String channel, int ws, int text) throws java.io.IOException {
        return new App(Files.createDirectories(dir), "dev.drover.examples.Push", "-Dpush.count=" + count, "-Dpush.channel=" + channel,
                // A slow machine must not turn a late acknowledgement into "fail".
                "-Dpush.ackTimeout=10",
                "-Dpush.websocket=websocket://127.0.0.1:" + ws, "-Dpush.text=text://127.0.0.1:" + text,
                "-Dpush.http=http://127.0.0.1:0"); // the page is not used: the kernel picks its port
    }
}
