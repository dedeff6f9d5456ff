package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.it.apps.TlsApp;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5: https, wss and TLS text from PEM files; ws and wss clients (AsyncTcpConnection); IPv6. */
@Timeout(120)
class TlsIT {
    /** A file a HEAD asks about: 64 MiB, sparse. */
    private static final long BIG = 64L << 20;

    @Test
    void tlsServersAndWebSocketClients(@TempDir Path dir) throws Exception {
        Path[] pem = Certificates.selfSigned(dir);
        Path cert = pem[0];
        Path key = dir.resolve("key-pkcs1.pem"); // as acme.sh and older openssl write an RSA key: read without a conversion
        Processes.Ran traditional = Processes.run("openssl", "pkey", "-in", pem[1].toString(), "-traditional", "-out", key.toString());
        assertEquals(0, traditional.code(), traditional.output());
        int https = Ports.free();
        int wss = Ports.free();
        int tlsText = Ports.free();
        int relay = Ports.free();
        Path[] other = Certificates.selfSigned(dir, "other-", "www.other.test", "DNS:www.other.test");
        Path combined = dir.resolve("combined.pem");
        java.nio.file.Files.writeString(combined, java.nio.file.Files.readString(cert) + java.nio.file.Files.readString(pem[1]));
        Path big = dir.resolve("big.bin");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            sparse.setLength(BIG);
        }
        try (App app = new App(dir, TlsApp.class, "-Dapp.cert=" + cert, "-Dapp.key=" + key, "-Dapp.https=" + https,
                "-Dapp.big=" + big, "-Dapp.other.cert=" + other[0], "-Dapp.other.key=" + other[1], "-Dapp.text.pem=" + combined,
                "-Dapp.wss=" + wss, "-Dapp.tlstext=" + tlsText, "-Dapp.relay=" + relay)) {
            app.start();
            SSLContext trust = Certificates.trusting(cert);
            HttpClient client = HttpClient.newBuilder().sslContext(trust).build();

            HttpResponse<String> secure = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("secure /x", secure.body());
            HttpResponse<String> file = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/cert")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(java.nio.file.Files.readString(cert), file.body(), "a file sent over TLS arrives whole");
            long worker = app.workers().stream().filter(w -> w.name().equals("https")).findFirst().orElseThrow().pid();
            long readBefore = bytesRead(worker);
            HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/big"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(String.valueOf(BIG), head.headers().firstValue("content-length").orElse(null));
            long read = bytesRead(worker) - readBefore;
            assertTrue(read < BIG / 8, "a HEAD over TLS reads no file: the worker read " + read + " bytes");
            String rows = app.connections().get("connections").toString();
            assertTrue(rows.contains("\"transport\":\"ssl\",\"protocol\":\"http\",\"local\":\"127.0.0.1:" + https + "\""),
                    "the client's kept connection, listed as ssl, as Workerman's Trans says: " + rows);

            LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + wss + "/"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    heard.add(data.toString());
                    socket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            ws.sendText("over tls", true).get(10, TimeUnit.SECONDS);
            assertEquals("wss echo: over tls", heard.poll(10, TimeUnit.SECONDS));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

            assertEquals("tls echo: hi from ::1", tlsLine(trust, tlsText, "hi"));

            assertEquals("relayed wss echo: from relay", Http.get(relay, "/?url=wss://127.0.0.1:" + wss + "/chat"));
            String refused = Http.get(relay, "/?verify=1&url=wss://127.0.0.1:" + wss + "/chat"); // a certificate the JDK does not trust
            assertTrue(refused.startsWith("error 1 connect 127.0.0.1:" + wss + " failed: ") && refused.contains("PKIX"), refused);
            // transport ssl: onConnect came with the TCP connection; the TLS handshake that fails after it is logged, then onClose
            assertEquals("closed", Http.get(relay, "/?ssl&verify&quiet&url=" + java.net.URLEncoder.encode("text://[::1]:" + tlsText,
                    StandardCharsets.UTF_8)));
            Await.until("the failed TLS handshake is logged", java.time.Duration.ofSeconds(10), () -> app.log().contains("AsyncTcpConnection to text://[::1]:"
                    + tlsText + ": its TLS handshake failed: "), app::log);

            try (java.net.Socket plain = new java.net.Socket("::1", tlsText)) { // no TLS: closed, and the log is not the application's
                plain.setSoTimeout(5000);
                plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, plain.getInputStream().read());
            }
            assertEquals("tls echo: still here from ::1", tlsLine(trust, tlsText, "still here"));
            assertRenegotiationRefused(https);
            assertTrue(handshake("127.0.0.1:" + https, "-alpn", "h2,http/1.1").contains("ALPN protocol: http/1.1"), "ALPN says HTTP/1.1");
            assertTrue(handshake("127.0.0.1:" + https, "-alpn", "h2").contains("no application protocol"), "an HTTP/2-only client is refused at the handshake");
            assertTrue(handshake("[::1]:" + tlsText, "-alpn", "h2").contains("No ALPN negotiated"), "TLS text says nothing of HTTP");
            assertEquals("CN=www.other.test", certificateFor(https, "www.other.test"), "the certificate for the name the client asked for");
            assertEquals("CN=localhost", certificateFor(https, "www.elsewhere.test"), "the default one for any other name");
            assertEquals("secure /x", client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).body(), "and for none (an IP address)");
            assertFalse(app.log().contains("its protocol failed"), app.log());
        }
    }

    /** What {@code pid} has read, from /proc/PID/io's rchar: every read(2), from files and sockets alike. */
    private static long bytesRead(long pid) throws java.io.IOException {
        return java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/io")).stream().filter(line -> line.startsWith("rchar:"))
                .mapToLong(line -> Long.parseLong(line.substring(6).trim())).findFirst().orElseThrow();
    }

    /**
     * setSslVerifyClient: a client without a certificate the CA signed is refused in the handshake;
     * setSslVerifyClientOptional serves one without any. Keys encrypted both ways OpenSSL writes,
     * opened with setSslKeyPassphrase; a certificate near its end is warned of.
     */
    @Test
    void clientCertificatesAndEncryptedKeys(@TempDir Path dir) throws Exception {
        Path[] server = Certificates.selfSigned(dir);
        Path pkcs8 = dir.resolve("key-encrypted.pem");
        Path traditional = dir.resolve("key-traditional-encrypted.pem");
        assertEquals(0, Processes.run("openssl", "pkey", "-in", server[1].toString(), "-aes256", "-passout", "pass:open sesame",
                "-out", pkcs8.toString()).code());
        assertEquals(0, Processes.run("openssl", "pkey", "-in", server[1].toString(), "-traditional", "-aes128", "-passout", "pass:open sesame",
                "-out", traditional.toString()).code());
        Path[] ca = Certificates.authority(dir, "clients-");
        Path[] member = Certificates.signedBy(dir, "member-", "member one", ca);
        Path[] stranger = Certificates.signedBy(dir, "stranger-", "stranger", Certificates.authority(dir, "other-"));
        int required = Ports.free();
        int optional = Ports.free();
        try (App app = new App(dir, dev.drover.it.apps.MutualTlsApp.class, "-Dapp.cert=" + server[0], "-Dapp.key=" + pkcs8,
                "-Dapp.key.traditional=" + traditional, "-Dapp.passphrase=open sesame", "-Dapp.ca=" + ca[0],
                "-Dapp.mtls=" + required, "-Dapp.optional=" + optional)) {
            app.start();
            for (int port : new int[] {required, optional}) {
                assertEquals("hello CN=member one", httpsGet(Certificates.client(server[0], member), port), "port " + port);
                assertFalse(httpsWorks(Certificates.client(server[0], stranger), port), "a certificate another CA signed, port " + port);
            }
            assertFalse(httpsWorks(Certificates.trusting(server[0]), required), "no certificate where one is wanted");
            assertEquals("hello anonymous", httpsGet(Certificates.trusting(server[0]), optional), "no certificate where one may be shown");
            assertTrue(java.util.regex.Pattern.compile("worker\\[mtls:\\d+\\] the TLS certificate " + java.util.regex.Pattern.quote(server[0]
                    + " (CN=localhost) expires on ")).matcher(app.log()).find(), "a certificate of 2 days is warned of: " + app.log());
        }
    }

    private static String httpsGet(SSLContext context, int port) throws Exception {
        return HttpClient.newBuilder().sslContext(context).build().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Whether a GET over {@code context} is answered; false when the server refuses the handshake. */
    private static boolean httpsWorks(SSLContext context, int port) throws Exception {
        try {
            httpsGet(context, port);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    /** A key file that is not there fails the start with its path and the setting, not a stack trace that buries them. */
    @Test
    void aKeyThatIsNotThereFailsTheStartNamingIt(@TempDir Path dir) {
        Path cert = Certificates.selfSigned(dir)[0];
        Path missing = dir.resolve("gone.pem");
        try (App app = new App(dir, TlsApp.class, "-Dapp.cert=" + cert, "-Dapp.key=" + missing, "-Dapp.https=" + Ports.free(),
                "-Dapp.wss=" + Ports.free(), "-Dapp.tlstext=" + Ports.free(), "-Dapp.relay=" + Ports.free())) {
            App.Result start = app.run("start", "-d");
            assertEquals(1, start.code(), start.all());
            assertTrue(start.err().contains(": the key file " + missing + " does not exist (setSslCertificate)"), start.all());
            assertFalse(start.all().contains("\tat "), "no stack trace: " + start.all());
        }
    }

    /** What openssl's client says of a handshake with {@code address}, with {@code options}. */
    private static String handshake(String address, String... options) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl", "s_client", "-connect", address));
        command.addAll(java.util.List.of(options));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(30, TimeUnit.SECONDS));
            return output;
        } finally {
            client.destroyForcibly();
        }
    }

    /** The subject of the certificate the server on {@code port} shows a client that asks for {@code name} (SNI). */
    private static String certificateFor(int port, String name) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(name)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /**
     * A client may not renegotiate (each renegotiation a whole handshake on the worker's loop, a
     * cheap way to hold it): openssl's {@code R} gets a handshake failure, and the connection ends.
     */
    private static void assertRenegotiationRefused(int port) throws Exception {
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2")
                .redirectErrorStream(true).start();
        try {
            client.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush(); // and left open: the client ends when the server ends the connection
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the renegotiation was taken: the connection stays open");
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(output.contains("RENEGOTIATING") && output.contains("alert handshake failure"), output);
        } finally {
            client.destroyForcibly();
        }
    }

    /** The answer to {@code line} over TLS on [::1]:{@code port}. */
    private static String tlsLine(SSLContext trust, int port, String line) throws java.io.IOException {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("::1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
