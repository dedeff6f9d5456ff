package dev.drover.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.it.apps.ProtocolsApp;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5, acceptance 2: every protocol against clients written by others. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolsIT {
    /** A tab in its name: the rows a worker sends the master for {@code connections} are tab-separated. */
    private static final String UNIX_SOCKET = "app\t.sock";

    private Path dir;
    private App app;
    private final Map<String, Integer> ports = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start(@TempDir Path tempDir) {
        dir = tempDir;
        app = new App(dir, ProtocolsApp.class, "-Dapp.unix=" + dir.resolve(UNIX_SOCKET));
        app.start();
        for (JsonNode group : app.status().get("workers")) {
            String listen = group.get("listen").asText();
            if (!listen.startsWith("unix:")) {
                ports.put(group.get("name").asText(), Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
            }
        }
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ports.get("web") + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpQueryStatusAndHeaders() throws Exception {
        assertEquals("GET /q {a=[1], b=[x y]}", get("/q?a=1&b=x%20y").body());
        HttpResponse<String> teapot = get("/status");
        assertEquals(418, teapot.statusCode());
        assertEquals("yes", teapot.headers().firstValue("x-drover").orElseThrow());
        assertEquals("teapot", teapot.body());
    }

    /** send(null) sends what send("") does, as Workerman's (PHP's null is an empty string): an empty answer, an empty line. */
    @Test
    void sendingNullSendsWhatAnEmptyStringDoes() throws Exception {
        HttpResponse<String> empty = get("/null");
        assertEquals(200, empty.statusCode());
        assertEquals("", empty.body());
        assertEquals("", TextClient.ask(ports.get("line"), "null"), "an empty line, not 'null'");
        assertEquals("echo: still", TextClient.ask(ports.get("line"), "still"), "and the worker serves on");
    }

    @Test
    void aWebSocketHookOnAnHttpConnectionIsRefused() throws Exception {
        String refused = get("/ws-hook").body();
        assertTrue(refused.matches("connection \\d+ is http, not websocket: onWebSocketPing is a WebSocket connection's"), refused);
    }

    @Test
    void httpFormAndUpload() throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(uri("/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=jo&tag=a&tag=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("form {name=[jo], tag=[a, b]} files ", form.body());

        String boundary = "drover-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nreport\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a, b.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nfile body\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"up[]\"; filename=\"1.txt\"\r\n\r\nx\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"up[]\"; filename=\"2.txt\"\r\n\r\nyz\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"none\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n--" + boundary + "--\r\n";
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(uri("/form"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("form {title=[report]} files doc=a, b.txt:9:file body;up[]=1.txt:1:x;up[]=2.txt:2:yz;", upload.body(),
                "every file under one name, its name as sent; an input left empty is none");

        HttpResponse<String> cut = http.send(HttpRequest.newBuilder(uri("/form"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart.substring(0, 73))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, cut.statusCode(), cut.body());
        assertEquals("400 Bad Request: multipart/form-data body refused: a part is cut off before its closing boundary\n", cut.body());
    }

    @Test
    void httpCookiesJsonAndFile() throws Exception {
        HttpResponse<String> cookie = http.send(HttpRequest.newBuilder(uri("/cookie")).header("Cookie", "a=1; b=2").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("cookies {a=1, b=2}", cookie.body());
        assertTrue(cookie.headers().firstValue("set-cookie").orElseThrow().startsWith("session=s3cret"), cookie.headers().toString());

        HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri("/json")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":[1,2]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"k\":[1,2]}", json.body());

        Path file = Files.writeString(dir.resolve("sent.txt"), "x".repeat(100_000));
        HttpResponse<String> sent = get("/file?path=" + file);
        assertEquals(200, sent.statusCode());
        assertEquals(100_000, sent.body().length());
        assertEquals("100000", sent.headers().firstValue("content-length").orElseThrow());
        for (String date : List.of(sent.headers().firstValue("date").orElseThrow(), get("/status").headers().firstValue("date").orElseThrow())) {
            long age = Instant.now().getEpochSecond() - ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            assertTrue(age >= 0 && age < 60 && date.matches("\\w{3}, \\d\\d .*"), "an IMF-fixdate of now on a file and on a plain answer: " + date);
        }

        Path page = Files.writeString(dir.resolve("page.css"), "<p>hi</p>");
        List<Long> before = app.workers().stream().map(App.WorkerRow::pid).toList();
        HttpResponse<String> typed = get("/typed?path=" + page);
        assertEquals("text/css;charset=utf-8", typed.headers().firstValue("content-type").orElseThrow(), "by its extension, not the default");
        assertTrue(typed.headers().firstValue("last-modified").orElseThrow().endsWith(" GMT"), typed.headers().toString());
        HttpResponse<String> missing = get("/typed?path=" + dir.resolve("missing.html"));
        assertEquals(404, missing.statusCode());
        assertEquals("<h3>404 Not Found</h3>", missing.body());
        assertEquals("<p>hi</p>", get("/typed?path=" + page).body());
        assertEquals(before, app.workers().stream().map(App.WorkerRow::pid).toList(), "no worker was lost to the missing file");
    }

    /**
     * A static file as nginx serves one, on one keep-alive connection: a current copy gets a 304
     * (and the connection goes on), HEAD the head alone, a Range its part.
     */
    @Test
    void aFileAnswersConditionsAndRangesOnAKeptConnection() throws Exception {
        Path letters = Files.writeString(dir.resolve("letters.txt"), "abcdefghijklmnopqrstuvwxyz");
        String etag = get("/typed?path=" + letters).headers().firstValue("etag").orElseThrow();
        try (Socket socket = new Socket("127.0.0.1", ports.get("web"))) {
            socket.setSoTimeout(10_000);
            String path = "/typed?path=" + letters;
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: h\r\nIf-None-Match: " + etag + "\r\n\r\n"
                    + "HEAD " + path + " HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "GET " + path + " HTTP/1.1\r\nHost: h\r\nRange: bytes=0-2\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String[] answers = all.split("(?=HTTP/1\\.1 )");
            assertEquals(3, answers.length, all);
            assertTrue(answers[0].startsWith("HTTP/1.1 304 Not Modified\r\n") && answers[0].endsWith("\r\n\r\n"), all);
            assertTrue(answers[1].startsWith("HTTP/1.1 200 OK\r\n") && answers[1].toLowerCase().contains("\r\ncontent-length: 26\r\n")
                    && answers[1].endsWith("\r\n\r\n"), "HEAD: the head alone: " + all);
            assertTrue(answers[2].startsWith("HTTP/1.1 206 Partial Content\r\n") && answers[2].endsWith("\r\n\r\nabc"), all);
        }
    }

    @Test
    void httpChunkedAndServerSentEvents() throws Exception {
        HttpResponse<String> chunked = get("/chunked");
        assertEquals("chunked", chunked.headers().firstValue("transfer-encoding").orElseThrow());
        assertEquals("zero one (second answer: FAILED) two three", chunked.body(), "the Response's body first; a refused send says so");

        HttpResponse<java.util.stream.Stream<String>> sse = http.send(HttpRequest.newBuilder(uri("/sse")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream", sse.headers().firstValue("content-type").orElseThrow());
        List<String> lines = sse.body().filter(l -> !l.isEmpty()).toList();
        assertEquals(List.of("event: tick", "id: 1", "data: n=1", "event: tick", "id: 2", "data: n=2", "event: tick", "id: 3", "data: n=3"),
                lines);
    }

    @Test
    void javaWebSocketTextBinaryPingAndClose() throws Exception {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                binary.writeBytes(bytes);
                if (last) {
                    received.add(binary.toByteArray());
                    binary.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                received.add("pong " + StandardCharsets.UTF_8.decode(message));
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                received.add("close " + statusCode + " " + reason);
                return null;
            }
        };
        WebSocket ws = http.newWebSocketBuilder().header("X-Test", "yes").subprotocols("stomp", "chat")
                .buildAsync(URI.create("ws://127.0.0.1:" + ports.get("ws") + "/chat/room1"), listener).get(10, TimeUnit.SECONDS);
        assertEquals("hello /chat/room1 yes", received.poll(10, TimeUnit.SECONDS));
        assertEquals("chat", ws.getSubprotocol(), "of the client's offer, the first the worker speaks (a browser fails without)");
        ws.sendText("hi", true).get(10, TimeUnit.SECONDS);
        assertEquals("echo: hi", received.poll(10, TimeUnit.SECONDS));
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) received.poll(10, TimeUnit.SECONDS));
        // Answers past the 7- and 16-bit frame lengths, with characters of 1 to 4 UTF-8 bytes.
        for (String text : List.of("aé€😀".repeat(20), "aé€😀".repeat(7000))) {
            ws.sendText(text, true).get(10, TimeUnit.SECONDS);
            assertEquals("echo: " + text, received.poll(10, TimeUnit.SECONDS));
        }
        byte[] large = new byte[70_000];
        new java.util.Random(7).nextBytes(large);
        ws.sendBinary(ByteBuffer.wrap(large), true).get(10, TimeUnit.SECONDS);
        assertArrayEquals(large, (byte[]) received.poll(10, TimeUnit.SECONDS));
        ws.sendPing(ByteBuffer.wrap("p".getBytes())).get(10, TimeUnit.SECONDS);
        assertEquals("pong p", received.poll(10, TimeUnit.SECONDS));
        ws.sendText("close please", true).get(10, TimeUnit.SECONDS);
        assertEquals("close 4001 bye", received.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void pythonWebSocketsClient() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path script = dir.resolve("client.py");
        Files.writeString(script, """
                import asyncio, sys, websockets
                async def main(port):
                    async with websockets.connect(f"ws://127.0.0.1:{port}/py") as ws:
                        print(await ws.recv())
                        await ws.send("from python")
                        print(await ws.recv())
                        await ws.send(bytes([9, 8, 7]))
                        print(list(await ws.recv()))
                        pong = await ws.ping(b"x")
                        await asyncio.wait_for(pong, 5)
                        print("pong")
                asyncio.run(main(int(sys.argv[1])))
                """);
        Processes.Ran client = Processes.run(Duration.ofSeconds(30), python.toString(), script.toString(), Integer.toString(ports.get("ws")));
        assertEquals(0, client.code(), client.output());
        assertEquals("hello /py -\necho: from python\n[9, 8, 7]\npong\n", client.output());
    }

    @Test
    void timersRunOnTheLoopAndCountInStatus() throws Exception {
        Await.until("the timer ticked", Duration.ofSeconds(10), () -> {
            try {
                String answer = TextClient.ask(ports.get("line"), "ticks");
                return !answer.startsWith("ticks 0 ") && answer.endsWith("timers 1");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        JsonNode line = null;
        for (JsonNode process : app.status().get("processes")) {
            if (process.get("name").asText().equals("line")) {
                line = process;
            }
        }
        assertEquals(1, line.get("timers").asInt());
    }

    @Test
    void udpAnswersTheSender() throws Exception {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            socket.setSoTimeout(5000);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            socket.send(new java.net.DatagramPacket(ping, ping.length, java.net.InetAddress.getByName("127.0.0.1"), ports.get("udp")));
            java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[256], 256);
            socket.receive(answer);
            assertEquals("udp echo: ping from " + socket.getLocalPort(), new String(answer.getData(), 0, answer.getLength()));

            byte[] big = "big".getBytes(StandardCharsets.US_ASCII);
            socket.send(new java.net.DatagramPacket(big, big.length, java.net.InetAddress.getByName("127.0.0.1"), ports.get("udp")));
            socket.receive(answer);
            assertEquals("error 2: datagram to 127.0.0.1:" + socket.getLocalPort() + " not sent: a datagram holds at most 65507 bytes, not 70000",
                    new String(answer.getData(), 0, answer.getLength()));
            socket.receive(answer);
            assertEquals("big: FAILED", new String(answer.getData(), 0, answer.getLength()));

            byte[] largest = new byte[65507]; // read whole, as Workerman reads it
            socket.send(new java.net.DatagramPacket(largest, largest.length, java.net.InetAddress.getByName("127.0.0.1"), ports.get("udp")));
            socket.receive(answer);
            assertEquals("udp got 65507 bytes", new String(answer.getData(), 0, answer.getLength()));
        }
    }

    @Test
    void unixSocketAndIpv6() throws Exception {
        try (java.nio.channels.SocketChannel unix = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(dir.resolve(UNIX_SOCKET)))) {
            unix.write(ByteBuffer.wrap("over unix".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (answer.position() < "unix echo: over unix".length()) {
                unix.read(answer);
            }
            assertEquals("unix echo: over unix", new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII));
            JsonNode row = null;
            for (JsonNode c : app.connections().get("connections")) {
                row = c.get("worker").asText().equals("unix") ? c : row;
            }
            assertTrue(row != null && row.get("transport").asText().equals("unix") && !row.get("ipv4").asBoolean()
                    && !row.get("ipv6").asBoolean() && row.get("local").asText().equals(dir.resolve("app?.sock").toString()), String.valueOf(row));
        }
        HttpResponse<String> v6 = http.send(HttpRequest.newBuilder(URI.create("http://[::1]:" + ports.get("web6") + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("v6 ::1 true true [::1]:" + ports.get("web6"), v6.body(), "IPv6 as RFC 5952 writes it, as Workerman and nginx do");
    }

    /** Workerman's close(): what the same read brought after it is not dispatched, and nothing is written after its last message. */
    @Test
    void linesAfterTheApplicationClosedAreNotDispatched() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("line"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("one\nquit\nthree\nfour\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("echo: one\nbye\n", new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    /**
     * nginx's client_header_timeout, client_body_timeout and keepalive_timeout (group "timed": 1 s
     * for a request, 1.5 s between requests): a silent client, a head that trickles in, and a kept
     * connection left idle are disconnected; a body whose pauses stay under the bound, and a
     * request the application answers late, are not. The cases run side by side.
     */
    @Test
    void slowClientsAreDisconnectedAndSlowAnswersAreNot() throws Exception {
        int port = ports.get("timed");
        java.util.concurrent.ExecutorService cases = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            var silent = cases.submit(() -> closedAfter(port, socket -> { }));
            var trickledHead = cases.submit(() -> closedAfter(port, socket -> {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 40; i++) { // a header every 0.2 s: bytes keep coming, the head is never whole
                    Thread.sleep(200);
                    socket.getOutputStream().write(("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            }));
            var idleKept = cases.submit(() -> closedAfter(port, socket -> {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }));
            var slowBody = cases.submit(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 8; i++) { // 2.4 s in all, pauses of 0.3 s
                        Thread.sleep(300);
                        socket.getOutputStream().write('b');
                    }
                    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            var lateAnswer = cases.submit(() -> Http.get(port, "/slow"));
            long silentMillis = silent.get(30, java.util.concurrent.TimeUnit.SECONDS);
            long trickledMillis = trickledHead.get(30, java.util.concurrent.TimeUnit.SECONDS);
            long idleMillis = idleKept.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(silentMillis >= 1000 && silentMillis < 6000, "a silent client closed after the request timeout: " + silentMillis + " ms");
            assertTrue(trickledMillis >= 1000 && trickledMillis < 6000, "a head still trickling closed after it: " + trickledMillis + " ms");
            assertTrue(idleMillis >= 1500 && idleMillis < 6500, "an idle kept connection closed after the keep-alive timeout: " + idleMillis + " ms");
            assertTrue(slowBody.get(30, java.util.concurrent.TimeUnit.SECONDS).endsWith("\r\n\r\nok 8"), "a slow body whose pauses stay short is taken");
            assertEquals("slow answer", lateAnswer.get(30, java.util.concurrent.TimeUnit.SECONDS), "an answer owed is not timed");
        } finally {
            cases.shutdownNow();
        }
    }

    interface SocketUse {
        void on(Socket socket) throws Exception;
    }

    /** How long after {@code use} began the server closed a new connection to {@code port} (what it answered is read and dropped). */
    private static long closedAfter(int port, SocketUse use) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            long start = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    use.on(socket);
                } catch (Exception closedUnderIt) {
                    // the server closed while it wrote: what is measured
                }
            });
            writer.start();
            try {
                while (socket.getInputStream().read() >= 0) {
                    // the answer to a request, if any
                }
            } catch (java.net.SocketException reset) {
                // closed with data unread: a reset
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            writer.interrupt();
            writer.join(5000);
            return millis;
        }
    }

    /** Workerman's bytesRead, bytesWritten and bufferIsEmpty: every byte of the exchange so far, counted. */
    @Test
    void aConnectionCountsItsBytes() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("line"))) {
            socket.setSoTimeout(5000);
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("echo: hello", in.readLine());
            socket.getOutputStream().write("bytes?\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("13 read, 12 written, empty true", in.readLine());
        }
    }

    /** Workerman's Worker::log, getAllWorkers, getSocketName and $worker->stopping, from a worker. */
    @Test
    void aWorkerLogsAndKnowsItself() throws Exception {
        assertEquals("true text://127.0.0.1:0 false", TextClient.ask(ports.get("line"), "about"));
        Await.until("Worker.log's line is in the log", Duration.ofSeconds(10),
                () -> app.log().matches("(?s).* pid:\\d+ worker\\[line:\\d+\\] asked about line\n.*"));
    }

    /** Workerman's pauseAccept: a client that connects while accepting is paused is taken once it resumes, not before. */
    @Test
    void aClientWaitsWhileAcceptingIsPaused() throws Exception {
        try (Socket gate = new Socket("127.0.0.1", ports.get("line"))) {
            gate.setSoTimeout(5000);
            gate.getOutputStream().write("gate\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals('g', gate.getInputStream().read(), "gated");
            assertEquals("opened true", TextClient.ask(ports.get("line"), "opened?"), "its line was read once accepting resumed");
        }
    }

    /** Workerman's pauseRecv: lines the same read brought after the one that paused wait until resumeRecv, and come in order. */
    @Test
    void linesAfterAPauseWaitForTheResume() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("line"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("one\npause\ntwo\nthree\n".getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            List<String> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(in.readLine());
            }
            assertEquals(List.of("echo: one", "paused", "resuming", "echo: two", "echo: three"), answers);
        }
    }

    /** close(answer) on HTTP: the answer says Connection: close (RFC 9112 9.6), and a request pipelined behind it is not read. */
    @Test
    void anHttpAnswerSentWithCloseSaysSoAndEndsTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("web"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /close HTTP/1.1\r\nHost: h\r\n\r\nGET /status HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            assertTrue(answers.startsWith("http/1.1 200 ok\r\n") && answers.contains("\r\nconnection: close\r\n")
                    && answers.endsWith("\r\n\r\nclosing"), answers);
            assertEquals(1, answers.split("http/1.1 ", -1).length - 1, "one answer: " + answers);
        }
    }

    /**
     * sendRaw on HTTP, as Workerman's send($data, true): the bytes go out as they are and answer
     * their request, so the next answer is for the next request (a HEAD's without its body, a
     * Connection: close one closing the connection).
     */
    @Test
    void aRawAnswerAnswersItsOwnRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("web"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /raw HTTP/1.1\r\nHost: h\r\n\r\nHEAD /status HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
            assertTrue(answers.startsWith("http/1.1 200 ok\r\ncontent-length: 3\r\n\r\nrawhttp/1.1 418 "), answers);
            assertTrue(answers.contains("\r\nconnection: close\r\n") && answers.endsWith("\r\n\r\n"), "the HEAD's answer, without its body: " + answers);
        }
    }

    /**
     * An answer dropped because the client does not read (past maxSendBufferSize) would leave it
     * waiting for ever: the connection closes once what was queued before went out.
     */
    @Test
    void anAnswerDroppedForAFullBufferClosesTheConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /huge HTTP/1.1\r\nHost: h\r\n\r\nGET /status HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            LoadClients.Answer huge = LoadClients.Answer.read(socket.getInputStream());
            assertEquals(16 << 20, huge.body().length(), "the answer queued before the one dropped, whole");
            assertEquals(-1, socket.getInputStream().read(), "then the close, and no answer to the request whose answer was dropped");
        }
    }

    /**
     * A client that stops reading after an answer's first bytes, whose next answer was dropped: the
     * close waits for the answer queued before it, but not for ever: a request timeout (1 s here)
     * in which the client took nothing ends it.
     */
    @Test
    void aClientThatTakesNothingOfAClosingConnectionIsCutOff() throws Exception {
        int port = ports.get("timed");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /huge HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String client = "127.0.0.1:" + socket.getLocalPort();
            // The answer begun (its first bytes, and nothing more): the worker has the connection, and the dropped answer's close.
            assertEquals("HTTP/1.1 200", new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
            Await.until("the worker closed the connection its client takes nothing of", Duration.ofSeconds(30), () -> stateOf(client) == null);
        }
    }

    /**
     * Requests pipelined behind one whose answer is owed are not read meanwhile, as nginx's are
     * not: a client that sends and never reads fills its own buffers, not the worker's memory.
     * Once the answer went out, they are read and answered in order.
     */
    @Test
    void requestsPipelinedBehindAnAnswerOwedWaitInTheKernel() throws Exception {
        int port = ports.get("web");
        int posts = 48;
        byte[] body = new byte[256 << 10];
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            AtomicReference<IOException> writeFailed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < posts; i++) {
                        out.write(("POST /p" + i + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                    }
                } catch (IOException closed) { // the worker closed the connection, or the test failed and closed it
                    writeFailed.set(closed);
                }
            });
            writer.start();
            try {
                int client = socket.getLocalPort();
                Await.until("the worker leaves the pipelined requests unread: they wait in the kernel on both sides", Duration.ofSeconds(20),
                        () -> unread(port, client), () -> "queues (unsent, unread): worker " + Arrays.toString(Sockets.queues(port, client))
                                + ", client " + Arrays.toString(Sockets.queues(client, port)) + "; connection " + rowOf("127.0.0.1:" + client)
                                + "; the writer's failure: " + writeFailed.get() + "; the app's log:\n" + app.log());
                assertEquals("released", Http.get(port, "/release"));
                String held = LoadClients.Answer.read(socket.getInputStream()).body();
                long read = Long.parseLong(held.replaceAll("[^0-9]", ""));
                assertTrue(read < 2 * body.length, "read no more than the request held, and a read's worth: " + held);
                for (int i = 0; i < posts; i++) {
                    assertEquals("POST /p" + i + " {}", LoadClients.Answer.read(socket.getInputStream()).body());
                }
            } finally {
                writer.join(20_000);
            }
        }
    }

    /** The state {@code connections} lists for the connection from {@code client}, or null when it lists none. */
    private String stateOf(String client) {
        JsonNode row = rowOf(client);
        return row == null ? null : row.get("state").asText();
    }

    /** The row {@code connections --json} lists for the connection from {@code client}, or null when it lists none. */
    private JsonNode rowOf(String client) {
        for (JsonNode c : app.connections().get("connections")) {
            if (c.get("remote").asText().equals(client)) {
                return c;
            }
        }
        return null;
    }

    /** Whether the worker's end of the connection from {@code clientPort} holds 64 KiB unread and the client's 64 KiB unsent. */
    private static boolean unread(int port, int clientPort) {
        long[] server = Sockets.queues(port, clientPort);
        long[] client = Sockets.queues(clientPort, port);
        return server != null && client != null && server[1] >= 64 << 10 && client[0] >= 64 << 10;
    }

    /**
     * A WebSocket client that pings and never reads: its pongs are sends, dropped past
     * maxSendBufferSize as Workerman drops them. Netty's protocol handler wrote each one whatever
     * waited, and such a client grew the worker's memory until it ended.
     */
    @Test
    void pongsToAClientThatDoesNotReadStayWithinTheSendBuffer() throws Exception {
        int port = ports.get("ws");
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            byte[] handshake = WebSocketWire.handshake(port);
            socket.getOutputStream().write(handshake);
            WebSocketWire.head(socket.getInputStream());
            byte[] ping = WebSocketWire.masked(0x9, new byte[125]);
            java.io.ByteArrayOutputStream pings = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 40_000; i++) { // 5 MiB of pongs
                pings.write(ping);
            }
            socket.getOutputStream().write(pings.toByteArray());
            long sent = handshake.length + pings.size();
            String client = "127.0.0.1:" + socket.getLocalPort();
            JsonNode[] row = new JsonNode[1];
            Await.until("the worker read every ping", Duration.ofSeconds(30), () -> {
                row[0] = rowOf(client);
                return row[0] != null && row[0].get("bytes_read").asLong() == sent;
            });
            assertTrue(row[0].get("send_q").asLong() <= (1 << 20) + (64 << 10), "pongs past maxSendBufferSize dropped: " + row[0]);
        }
    }

    /** A maxPackageSize set on a WebSocket connection once it is open holds for its next message, as Workerman checks it on every frame. */
    @Test
    void aWebSocketsOwnMaxPackageSizeHolds() throws Exception {
        try (Socket socket = WebSocketWire.open(ports.get("ws"))) {
            assertEquals("hello / -", new String(WebSocketWire.next(socket.getInputStream()).payload(), StandardCharsets.UTF_8));
            socket.getOutputStream().write(WebSocketWire.masked(0x1, "limit".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("limited to 100", new String(WebSocketWire.next(socket.getInputStream()).payload(), StandardCharsets.UTF_8));
            socket.getOutputStream().write(WebSocketWire.masked(0x1, "x".repeat(200).getBytes(StandardCharsets.US_ASCII)));
            WebSocketWire.Frame close = WebSocketWire.next(socket.getInputStream());
            assertEquals(0x8, close.opcode());
            assertEquals(1009, (close.payload()[0] & 0xff) << 8 | close.payload()[1] & 0xff, "message too big");
        }
    }

    /**
     * An answer refused on the way (raw bytes inside a stream still open) does not end the answer
     * owed: the request pipelined behind waits for the stream's end, and gets its own answer after it.
     */
    @Test
    void anAnswerRefusedInsideAStreamLeavesTheNextRequestWaiting() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ports.get("web"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /stream-later HTTP/1.1\r\nHost: h\r\n\r\nGET /status HTTP/1.1\r\nHost: h\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals("early raw inside: FAILED", LoadClients.Answer.read(socket.getInputStream()).body());
            LoadClients.Answer next = LoadClients.Answer.read(socket.getInputStream());
            assertEquals(418, next.status(), "the pipelined request's own answer, after the stream");
            assertEquals("teapot", next.body());
        }
    }

    /** A package the protocol refuses destroys its connection and says so in the log, as Workerman's "Error package" does. */
    @Test
    void aRefusedPackageIsLogged() throws Exception {
        int port;
        try (Socket socket = new Socket("127.0.0.1", ports.get("frames"))) {
            socket.setSoTimeout(5000);
            port = socket.getLocalPort();
            socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
        }
        Await.until("the refused package in the log", Duration.ofSeconds(10),
                () -> app.log().contains("frame connection ") && app.log().contains(" from 127.0.0.1:" + port + " destroyed: bad package"));
    }

    @Test
    void rawSocketsForTextFrameAndTcp() throws Exception {
        assertEquals("echo: line one", TextClient.ask(ports.get("line"), "line one"));
        assertEquals("cannot send a WebSocketPing on this connection: it is a WebSocket frame, for websocket:// and ws:// connections",
                TextClient.ask(ports.get("line"), "ping"), "not its Java text as a line");
        List<String> queued = TextClient.askAll(ports.get("line"), List.of("queue", "then"));
        long size = Long.parseLong(queued.get(1).substring("queued ".length()));
        assertTrue(size >= 100_001 && size < 101_000, "getSendBufferQueueSize counts the line not yet written: " + queued.get(1));
        try (Socket socket = new Socket("127.0.0.1", ports.get("frames"))) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] body = {0, (byte) 200, 42};
            out.writeInt(4 + body.length);
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertEquals(7, in.readInt());
            byte[] echoed = new byte[3];
            in.readFully(echoed);
            assertArrayEquals(body, echoed);
        }
        try (Socket socket = new Socket("127.0.0.1", ports.get("raw"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("raw bytes".getBytes());
            byte[] echoed = new byte[9];
            new DataInputStream(socket.getInputStream()).readFully(echoed);
            assertEquals("raw bytes", new String(echoed));
        }
    }

}
