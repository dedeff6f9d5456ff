package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.InnerProtocolsApp;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: listen() inside onWorkerStart works for every protocol and transport; and after a
 * reload and a restart, whose new workers take each socket their predecessor lent them.
 */
@Timeout(120)
class InnerListenIT {

    @Test
    void everyProtocolAndTransportListensInTheWorker(@TempDir Path dir) throws Exception {
        Path[] pem = Certificates.selfSigned(dir);
        int http = Ports.free();
        int ws = Ports.free();
        int text = Ports.free();
        int frame = Ports.free();
        int tcp = Ports.free();
        int udp = Ports.free();
        int https = Ports.free();
        Path unix = dir.resolve("inner.sock");
        try (App app = new App(dir, InnerProtocolsApp.class, "-Dapp.http=" + http, "-Dapp.ws=" + ws, "-Dapp.text=" + text,
                "-Dapp.frame=" + frame, "-Dapp.tcp=" + tcp, "-Dapp.udp=" + udp, "-Dapp.https=" + https, "-Dapp.unix=" + unix,
                "-Dapp.cert=" + pem[0], "-Dapp.key=" + pem[1])) {
            app.start();
            Checks everyListenerAnswers = () -> {
                assertEquals("inner http /p", Http.get(http, "/p"));
                assertEquals("inner text t", TextClient.ask(text, "t"));

                LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + ws + "/"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                heard.add(data.toString());
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("w", true).get(10, TimeUnit.SECONDS);
                assertEquals("inner ws w", heard.poll(10, TimeUnit.SECONDS));

                try (Socket s = new Socket("127.0.0.1", frame)) {
                    s.setSoTimeout(5000);
                    new DataOutputStream(s.getOutputStream()).write(new byte[] {0, 0, 0, 5, 'f'});
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertEquals(5, in.readInt());
                    assertEquals('f', in.readByte());
                }
                try (Socket s = new Socket("127.0.0.1", tcp)) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write("raw".getBytes());
                    byte[] echoed = new byte[3];
                    new DataInputStream(s.getInputStream()).readFully(echoed);
                    assertArrayEquals("raw".getBytes(), echoed);
                }
                try (DatagramSocket d = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                    d.setSoTimeout(5000);
                    d.send(new DatagramPacket("u".getBytes(), 1, InetAddress.getByName("127.0.0.1"), udp));
                    DatagramPacket answer = new DatagramPacket(new byte[64], 64);
                    d.receive(answer);
                    assertEquals("inner udp u", new String(answer.getData(), 0, answer.getLength()));
                }
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(unix))) {
                    channel.write(ByteBuffer.wrap("x".getBytes()));
                    ByteBuffer answer = ByteBuffer.allocate(64);
                    while (answer.position() < "inner unix x".length()) {
                        channel.read(answer);
                    }
                    assertEquals("inner unix x", new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII));
                }
                HttpsURLConnection secure = (HttpsURLConnection) URI.create("https://127.0.0.1:" + https + "/").toURL().openConnection();
                secure.setSSLSocketFactory(Certificates.trusting(pem[0]).getSocketFactory());
                assertTrue(new String(secure.getInputStream().readAllBytes()).equals("inner https"));
            };
            everyListenerAnswers.run();
            long old = app.workers().get(0).pid();
            App.Result reload = app.run("reload");
            assertEquals(0, reload.code(), reload.all());
            assertTrue(app.workers().get(0).pid() != old);
            assertFalse(app.log().contains("was not listened on again"), app.log());
            everyListenerAnswers.run();
            App.Result restart = app.run("restart");
            assertEquals(0, restart.code(), restart.all() + app.log());
            everyListenerAnswers.run();
        }
    }

    private interface Checks {
        void run() throws Exception;
    }
}
