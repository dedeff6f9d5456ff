package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.UdpClientApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Workerman's AsyncUdpConnection: datagrams to one peer and its answers, raw or through a protocol. */
@Timeout(120)
class AsyncUdpConnectionIT {

    @Test
    void datagramsGoToThePeerAndItsAnswersCome(@TempDir Path dir) {
        int echo = Ports.free();
        int echo6 = Ports.free();
        int refused = Ports.free();
        int linesPort = Ports.free();
        int pickyPort = Ports.free();
        try (App app = new App(dir, UdpClientApp.class, "-Dapp.dir=" + dir, "-Dapp.echo=" + echo, "-Dapp.echo6=" + echo6,
                "-Dapp.refused=" + refused, "-Dapp.lines=" + linesPort, "-Dapp.picky=" + pickyPort,
                "-Dapp.tcp=" + Ports.free())) {
            app.start();
            Path report = dir.resolve("report.txt");
            Await.until("every scenario ended", Duration.ofSeconds(30), () -> {
                String text = TextFile.read(report);
                return text.contains("udp heard") && text.contains("text heard") && text.contains("big heard") && text.contains("six heard")
                        && text.contains("refused onError") && text.contains("closed heard") && text.contains("bad remote address 'nosuch")
                        && text.contains("broadcast onClose") && text.contains("bare heard") && text.contains("lines heard line two")
                        && text.contains("picky heard") && text.contains("named heard") && text.contains("named tcp heard");
            }, () -> TextFile.read(report) + app.log());
            List<String> lines = TextFile.read(report).lines().toList();

            assertEquals(List.of("udp send before connect=QUEUED", "udp onConnect open=true remote=127.0.0.1:" + echo
                    + " local=127.0.0.1 bound=true", "udp heard echo: first as byte[]"), scenario(lines, "udp "),
                    "a send before connect() connects, and goes out once it is");
            assertEquals(List.of("text heard echo: line protocol=text"), scenario(lines, "text "));
            assertEquals(List.of("big onError 2 datagram to udp://127.0.0.1:" + echo + " not sent: a datagram holds at most 65507 bytes,"
                    + " not 65508", "big heard echo: 65507 bytes"), scenario(lines, "big "));
            assertEquals(List.of("six heard echo: over six from [::1]:" + echo6), scenario(lines, "six "));
            assertEquals(List.of("refused onError 2 datagram to udp://127.0.0.1:" + refused + " not sent: port unreachable: nothing"
                    + " listens there (ECONNREFUSED)"), scenario(lines, "refused "));
            assertEquals(List.of("closed onClose open=false", "closed onError 2 datagram to udp://127.0.0.1:" + echo + " not sent: it is"
                    + " closed: connect() it again", "closed send after close=FAILED", "closed heard echo: reopened"), scenario(lines, "closed "));
            assertEquals(List.of("bad remote address 'http://127.0.0.1:80': datagrams carry udp://, text://, frame:// or a protocol"
                    + " registered with Protocol.register (or named by its class), not http://",
                    "bad remote address 'udp://127.0.0.1' needs a protocol, a host and a port, e.g. udp://127.0.0.1:9125",
                    "bad remote address 'nosuch://127.0.0.1:9': datagrams carry udp://, text://, frame:// or a protocol registered with"
                    + " Protocol.register (or named by its class), not nosuch://"), scenario(lines, "bad "));
            assertEquals(List.of("broadcast onError 1 connect udp://255.255.255.255:9 failed: Permission denied (13)", "broadcast onError 2 datagram to udp://255.255.255.255:9 not sent: it is"
                    + " closed: connect() it again", "broadcast onClose open=false send=FAILED"), scenario(lines, "broadcast "),
                    "a connect the kernel refuses (a broadcast address without SO_BROADCAST: EACCES)");
            Await.until("the failed connect without onError is logged", Duration.ofSeconds(10),
                    () -> app.log().contains("connect udp://255.255.255.255:10 failed: Permission denied (13)"),
                    app::log);
            assertEquals(List.of("bare heard echo: bare"), scenario(lines, "bare "));
            assertEquals(List.of("lines heard line one over text", "lines heard line two over text"), scenario(lines, "lines "),
                    "a datagram of two lines and an unfinished rest: two messages, each answered in a datagram of its own");
            assertEquals(List.of("picky heard picky fine"), scenario(lines, "picky "));
            assertEquals(List.of("named onConnect remote=127.0.0.1", "named heard echo: by name"),
                    lines.stream().filter(line -> line.startsWith("named ") && !line.startsWith("named tcp")).toList(),
                    "host names are looked up (beside the loop)");
            assertEquals(List.of("named tcp heard echo: by name too"), scenario(lines, "named tcp "), "for both kinds of client");
            assertTrue(app.log().contains("a datagram from 127.0.0.1:") && app.log().contains(" to picky://127.0.0.1:" + pickyPort
                    + " was dropped: protocol picky failed on it: java.lang.IllegalStateException: picky cannot take a line that starts with !"),
                    app.log());
            Await.until("the datagram frame:// cannot decode is logged", Duration.ofSeconds(10), () -> app.log().contains(
                    "a datagram from frame://127.0.0.1:" + echo + " was dropped: protocol frame failed on it: java.lang.IllegalArgumentException"),
                    app::log);
            assertEquals(List.of(), scenario(TextFile.read(report).lines().toList(), "undecodable"), "neither a message nor an error");
            assertTrue(!app.log().contains("\tat "), "no stack trace: " + app.log());
        }
    }

    private static List<String> scenario(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).toList();
    }
}
