package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.PidApp;
import dev.drover.master.os.Os;
import dev.drover.master.os.Signals;
import dev.drover.master.os.SpawnRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** systemd socket activation: a parent passes a listening socket with LISTEN_FDS; drover binds nothing itself. */
@Timeout(120)
class SocketActivationIT {

    @Test
    void theMasterServesTheSocketItWasGiven(@TempDir Path dir) {
        Os os = Os.linux();
        int listener = os.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, 128);
        int port = os.localAddress(listener).getPort();
        App app = new App(dir, PidApp.class, "-Dapp.count=2", "-Dapp.listen=http://127.0.0.1:" + port);
        // As systemd does: LISTEN_PID is the pid of the process that gets the sockets (exec keeps it).
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "cd \"$1\" && shift && LISTEN_PID=$$ exec \"$@\"", "sh", dir.toString()));
        argv.addAll(app.commandLine("start"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LISTEN_FDS", "1");
        env.put("LISTEN_FDNAMES", "web");
        env.put("_JAVA_SR_SIGNUM", "39");
        int master = os.spawn(new SpawnRequest("/bin/sh", argv, env, List.of(listener), dir.resolve("master.out"), false));
        app.track(master);
        try (app) {
            Await.until("the master is up", Duration.ofSeconds(60), () -> app.log().contains("started: 2 workers ready"));
            assertTrue(app.log().contains("uses the socket systemd passed as fd 3"), app.log());
            assertTrue(Http.tryGet(port, "/") != null, "served on the passed socket");
            Set<String> listening = Sockets.listeningInodes(port);
            assertEquals(1, listening.size(), "only the socket the parent made listens on " + port);
            assertTrue(Sockets.socketInodes(master).containsAll(listening), "and the master holds it");
            os.kill(master, Signals.number("TERM"));
            Await.until("the master stopped", Duration.ofSeconds(30), () -> os.reap(master).isPresent());
        } finally {
            os.close(listener);
        }
    }
}
