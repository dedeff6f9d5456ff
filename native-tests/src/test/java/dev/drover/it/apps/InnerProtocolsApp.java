package dev.drover.it.apps;

import dev.drover.Worker;
import dev.drover.http.Request;

/**
 * A listener-less group whose onWorkerStart listen()s on every protocol and transport, on the
 * ports app.http, app.ws, app.text, app.frame, app.tcp, app.udp, app.https (with app.cert and
 * app.key) and the Unix socket app.unix.
 */
public final class InnerProtocolsApp {
    private InnerProtocolsApp() {}

    public static void main(String[] args) {
        Worker outer = new Worker().setName("outer");
        outer.onWorkerStart(w -> {
            listen("http", "http", (c, d) -> c.send("inner http " + ((Request) d).path()));
            listen("websocket", "ws", (c, d) -> c.send("inner ws " + d));
            listen("text", "text", (c, d) -> c.send("inner text " + d));
            listen("frame", "frame", (c, d) -> c.send((byte[]) d));
            listen("tcp", "tcp", (c, d) -> c.send((byte[]) d));
            listen("udp", "udp", (c, d) -> c.send("inner udp " + new String((byte[]) d)));
            Worker unix = new Worker("unix://" + System.getProperty("app.unix"));
            unix.onMessage((c, d) -> c.send("inner unix " + new String((byte[]) d)));
            unix.listen();
            Worker https = new Worker("http://127.0.0.1:" + Integer.getInteger("app.https")).setTransport("ssl")
                    .setSslCertificate(System.getProperty("app.cert"), System.getProperty("app.key"));
            https.onMessage((c, d) -> c.send("inner https"));
            https.listen();
        });
        Worker.runAll(args);
    }

    private static void listen(String protocol, String port, dev.drover.MessageCallback onMessage) {
        Worker inner = new Worker(protocol + "://127.0.0.1:" + Integer.getInteger("app." + port));
        inner.onMessage(onMessage);
        inner.listen();
    }
}
