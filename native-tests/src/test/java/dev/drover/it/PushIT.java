package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.it.apps.EchoServerApp;
import dev.drover.it.apps.PushClientApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5, acceptance 5: a client-only worker's AsyncTcpConnection reconnects after its server restarts. */
@Timeout(180)
class PushIT {

    @Test
    void theClientReconnectsAfterTheServerIsStoppedAndStartedAgain(@TempDir Path dir) throws Exception {
        int port = Ports.free();
        Path clientDir = Files.createDirectories(dir.resolve("client"));
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path heard = clientDir.resolve("heard.txt");
        try (App client = new App(clientDir, PushClientApp.class, "-Dapp.port=" + port, "-Dapp.dir=" + clientDir);
             App server = new App(serverDir, EchoServerApp.class, "-Dapp.port=" + port)) {
            client.start();
            long clientPid = client.workers().get(0).pid();
            server.start();
            Await.until("the client connected and heard its echo", Duration.ofSeconds(20), () -> lines(heard) == 1);
            assertEquals("echo: hello from " + clientPid, Files.readAllLines(heard).get(0));

            assertEquals(0, server.run("stop").code());
            server.start();
            Await.until("the client reconnected to the restarted server", Duration.ofSeconds(20), () -> lines(heard) == 2);
            assertEquals(clientPid, client.workers().get(0).pid(), "the same client process, reconnected");
        }
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
