package dev.drover.it.apps;

import dev.drover.AsyncTcpConnection;
import dev.drover.Worker;
import dev.drover.http.Request;

/**
 * TLS and outgoing WebSockets. app.cert / app.key: PEM files. Groups: "https" on app.https,
 * "wss" (echo) on app.wss, "tls-text" (echo) on app.tlstext, all with transport ssl; "relay"
 * (plain http on app.relay) answers GET /?url=ws://... by opening an AsyncTcpConnection there,
 * sending "from relay" and answering with the first message it hears back (or "error CODE MESSAGE");
 * with &verify=1 it checks the server's certificate.
 */
public final class TlsApp {
    private TlsApp() {}

    public static void main(String[] args) {
        String cert = System.getProperty("app.cert");
        String key = System.getProperty("app.key");
        Worker https = new Worker("http://127.0.0.1:" + Integer.getInteger("app.https")).setName("https")
                .setTransport("ssl").setSslCertificate(cert, key);
        if (System.getProperty("app.other.cert") != null) { // a second site on the same port, for clients asking for other.test
            https.addSslCertificate("*.other.test", System.getProperty("app.other.cert"), System.getProperty("app.other.key"));
        }
        https.onMessage((connection, request) -> {
            if (((Request) request).path().equals("/cert")) {
                connection.send(new dev.drover.http.Response(200).file(java.nio.file.Path.of(cert))); // a file, in chunks under TLS
            } else if (((Request) request).path().equals("/big")) {
                connection.send(new dev.drover.http.Response(200).file(java.nio.file.Path.of(System.getProperty("app.big"))));
            } else {
                connection.send("secure " + ((Request) request).path());
            }
        });

        Worker wss = new Worker("websocket://127.0.0.1:" + Integer.getInteger("app.wss")).setName("wss")
                .setTransport("ssl").setSslCertificate(cert, key);
        wss.onMessage((connection, data) -> connection.send("wss echo: " + data));

        String combined = System.getProperty("app.text.pem"); // the certificate and the key in one file, as some tools write them
        Worker text = new Worker("text://[::1]:" + Integer.getInteger("app.tlstext")).setName("tls-text")
                .setTransport("ssl").setSslCertificate(combined != null ? combined : cert, combined != null ? combined : key);
        text.onMessage((connection, data) -> connection.send("tls echo: " + data + " from " + connection.getRemoteIp()));

        Worker relay = new Worker("http://127.0.0.1:" + Integer.getInteger("app.relay")).setName("relay");
        relay.onMessage((connection, data) -> {
            String url = ((Request) data).query("url").orElseThrow();
            AsyncTcpConnection out = new AsyncTcpConnection(url).setVerifyPeer(((Request) data).query("verify").isPresent());
            if (((Request) data).query("ssl").isPresent()) {
                out.setTransport("ssl"); // onConnect with the TCP connection, as Workerman's
            }
            if (((Request) data).query("quiet").isPresent()) { // no onError: a failed TLS handshake is logged, and onClose answers
                out.onClose(c -> connection.send("closed"));
                out.connect();
                return;
            }
            out.onConnect(c -> c.send("from relay"));
            out.onMessage((c, heard) -> {
                connection.send("relayed " + heard);
                c.close();
            });
            out.onError((c, code, message) -> connection.send("error " + code + " " + message));
            out.connect();
        });
        Worker.runAll(args);
    }
}
