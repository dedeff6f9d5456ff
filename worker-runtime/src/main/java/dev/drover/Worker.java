package dev.drover;

import dev.drover.internal.ListenText;
import dev.drover.internal.MainErrors;
import dev.drover.internal.NettyLog;
import dev.drover.internal.SharedState;
import dev.drover.internal.WorkerRuntime;
import dev.drover.master.AppSpec;
import dev.drover.master.Arbiter;
import dev.drover.master.Cli;
import dev.drover.master.Environment;
import dev.drover.master.GroupSpec;
import dev.drover.master.JvmCommand;
import dev.drover.master.ListenAddress;
import dev.drover.master.LogFile;
import dev.drover.master.MasterHooks;
import dev.drover.master.Reply;
import dev.drover.master.WorkerLimits;
import dev.drover.master.os.ExitStatus;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group of worker processes that listen on one address and run the same callbacks, Workerman's
 * {@code Worker}. Declare Workers in {@code main}, then call {@link #runAll}: the program becomes a
 * master that binds the sockets and supervises {@code count} worker JVMs per group, each running the
 * callbacks on one event-loop thread.
 *
 * <p>{@code main} runs again in every worker JVM (the JVM cannot fork): per-process set-up belongs
 * in {@code onWorkerStart}.
 */
public final class Worker {
    /** The protocols drover itself knows; {@link Protocol#register} adds more. */
    public static final Set<String> PROTOCOLS = Set.of("tcp", "text", "frame", "http", "websocket", "udp", "unix");

    private static final List<Worker> GROUPS = new ArrayList<>();
    private static boolean running;
    /** The first listen address drover refused in a process started for a master's command (see {@link #Worker(String)}); null while none. */
    private static IllegalArgumentException refusedListen;
    /** The commands that only talk to a running master, which a refused listen address does not stop. */
    private static final Set<String> MASTER_QUESTIONS = Set.of("stop", "status", "connections", "reload", "scale");
    private static Path pidFile;
    private static Path logFile;
    private static Path stdoutFile;
    private static Duration stopTimeout = Duration.ofSeconds(2);
    private static Duration gracefulTimeout;
    private static long logFileMaxSize = LogFile.DEFAULT_MAX_SIZE;

    static {
        MainErrors.install(); // a bad argument in main is a line naming it, not drover's stack trace
        NettyLog.install(); // in the master and the commands too: an application whose main makes a TLS context loads Netty there
    }

    private ListenAddress listen;
    private String name = "none";
    private int count = 1;
    private boolean reusePort;
    private String user;
    private String group;
    private List<String> jvmOptions = List.of();
    private boolean reloadable = true;
    private List<String> webSocketProtocols = List.of();
    private boolean webSocketCompression;
    private WorkerLimits limits = WorkerLimits.DEFAULT;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration keepAliveTimeout = Duration.ofSeconds(75);
    private String transport = "tcp";
    private Path sslCertificate;
    private Path sslKey;
    private final Map<String, List<Path>> sslCertificatesByHost = new java.util.LinkedHashMap<>();
    private String sslKeyPassphrase;
    private Path sslClientCa;
    private boolean sslClientRequired;
    private int id = -1;
    private WorkerCallback onWorkerStart;
    private WorkerCallback onWorkerStop;
    private WorkerCallback onWorkerReload;
    private MasterCallback onMasterReload;
    private MasterCallback onMasterStop;
    private WorkerExitCallback onWorkerExit;
    private ConnectionCallback onConnect;
    private MessageCallback onMessage;
    private ConnectionCallback onClose;
    private ConnectionCallback onBufferFull;
    private ConnectionCallback onBufferDrain;
    private ErrorCallback onError;
    private WebSocketConnectCallback onWebSocketConnect;
    private WebSocketControlCallback onWebSocketPing;
    private WebSocketControlCallback onWebSocketPong;
    private WebSocketCloseCallback onWebSocketClose;

    /**
     * A Worker listening on {@code <protocol>://<host>:<port>}, e.g. {@code http://0.0.0.0:8080}.
     * In a process started for a command that only talks to the running master ({@code stop},
     * {@code status}, {@code connections}, {@code reload}, {@code scale}), a bad address is kept
     * for {@link #runAll}, which lets those commands go on: code deployed with a typo still lets
     * the operator stop or ask the master that runs the code before it, as Workerman's, which
     * reads an address only when it binds it.
     *
     * @throws IllegalArgumentException for a malformed address or an unknown protocol
     */
    public Worker(String listen) {
        ListenAddress parsed = null;
        try {
            parsed = ListenText.parse(listen);
        } catch (IllegalArgumentException refused) {
            String[] launched = System.getProperty("sun.java.command", "").split(" "); // the main class or jar, then its arguments
            if (running || launched.length < 2 || !onlyAsksTheMaster(launched[1])) {
                throw refused;
            }
            if (refusedListen == null) {
                refusedListen = refused;
            }
        }
        this.listen = parsed;
        register();
    }

    /** Whether this process, started by hand (not as a worker or a daemon) for {@code command}, only talks to a running master. */
    private static boolean onlyAsksTheMaster(String command) {
        return Environment.role() == null && MASTER_QUESTIONS.contains(command);
    }

    /** A Worker that listens on nothing: a process for timers or outgoing connections. */
    public Worker() {
        this.listen = null;
        register();
    }

    private void register() {
        if (!running) {
            GROUPS.add(this);
        }
    }

    // ---- global settings (static, as in Workerman) ----

    /** The pid file (default {@code <working dir>/<MainClass>.pid}); {@code --pid-file} overrides it. */
    public static void setPidFile(String path) {
        pidFile = Path.of(path);
    }

    /** The log file (default {@code <working dir>/<MainClass>.log}). */
    public static void setLogFile(String path) {
        logFile = Path.of(path);
    }

    /** Where a daemon's stdout and stderr go (default {@code /dev/null}). */
    public static void setStdoutFile(String path) {
        stdoutFile = Path.of(path);
    }

    /** How long workers get to exit on stop before SIGKILL (default 2 s). */
    public static void setStopTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative, was " + timeout);
        }
        stopTimeout = timeout;
    }

    /** {@link #setStopTimeout(Duration)} in seconds, as Workerman's {@code Worker::$stopTimeout}. */
    public static void setStopTimeout(double seconds) {
        setStopTimeout(seconds(seconds));
    }

    /**
     * How long a graceful stop or reload waits for open connections before SIGKILL (default: no
     * limit, as Workerman); null restores the default.
     */
    public static void setGracefulTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("gracefulTimeout must not be negative, was " + timeout);
        }
        gracefulTimeout = timeout;
    }

    /** The log file's size in bytes at which it moves to {@code <log>.1} (default 10 MiB). */
    public static void setLogFileMaxSize(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("logFileMaxSize must be at least 1024 bytes, was " + bytes);
        }
        logFileMaxSize = bytes;
    }

    // ---- per-group settings ----

    /** How many worker processes (default 1). */
    public Worker setCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        this.count = count;
        return this;
    }

    /** The group's name, shown in logs, status and process titles (default "none"). */
    public Worker setName(String name) {
        if (name.isBlank() || name.contains(" ") || name.contains("\n")) {
            throw new IllegalArgumentException("name must be a non-empty word, was '" + name + "'");
        }
        this.name = name;
        return this;
    }

    /** Each worker binds its own socket with SO_REUSEPORT instead of sharing the master's. */
    public Worker setReusePort(boolean reusePort) {
        this.reusePort = reusePort;
        return this;
    }

    /**
     * {@code "ssl"} serves this Worker's protocol over TLS (https, wss, TLS text), with the PEM
     * files of {@link #setSslCertificate}; {@code "tcp"} (the default) without; {@code "udp"} over
     * datagrams ({@code text://}, {@code frame://} or a protocol of yours: each datagram is cut
     * into packages by the protocol's {@code input}, as Workerman's).
     *
     * @throws IllegalArgumentException for another transport, or one the protocol cannot go over
     */
    public Worker setTransport(String transport) {
        if (!transport.equals("tcp") && !transport.equals("ssl") && !transport.equals("udp")) {
            throw new IllegalArgumentException("transport must be tcp, ssl or udp, was '" + transport + "'");
        }
        if (listen != null) {
            if (transport.equals("ssl") && listen.isUdp()) {
                throw new IllegalArgumentException("listen address '" + listen + "' is udp: transport ssl is for streams (DTLS is not offered)");
            }
            listen = listen.overUdp(transport.equals("udp"));
        }
        this.transport = transport;
        return this;
    }

    /**
     * The PEM files of the certificate (then its chain) and of its private key (PKCS#8, PKCS#1 or
     * SEC1; an encrypted one with {@link #setSslKeyPassphrase}) for {@code transport ssl}.
     */
    public Worker setSslCertificate(String certificatePem, String privateKeyPem) {
        this.sslCertificate = Path.of(certificatePem);
        this.sslKey = Path.of(privateKeyPem);
        return this;
    }

    /**
     * For TLS clients that ask for {@code hostName} (SNI; {@code *.example.com} covers the names one
     * level below), this certificate and key rather than {@link #setSslCertificate}'s, which every
     * other client gets: Workerman's {@code SNI_server_certs}.
     */
    public Worker addSslCertificate(String hostName, String certificatePem, String privateKeyPem) {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("addSslCertificate needs the host name clients ask for, e.g. www.example.com or *.example.com");
        }
        sslCertificatesByHost.put(hostName.toLowerCase(java.util.Locale.ROOT), List.of(Path.of(certificatePem), Path.of(privateKeyPem)));
        return this;
    }

    /**
     * The passphrase of an encrypted private key (Workerman's {@code passphrase}; every key of this
     * Worker's): PKCS#8's {@code BEGIN ENCRYPTED PRIVATE KEY}, or the older {@code Proc-Type:
     * 4,ENCRYPTED}. Read it from a file only the user that starts drover may read, as nginx's
     * {@code ssl_password_file}, rather than writing it into the code.
     */
    public Worker setSslKeyPassphrase(String passphrase) {
        this.sslKeyPassphrase = passphrase;
        return this;
    }

    public String getSslKeyPassphrase() {
        return sslKeyPassphrase;
    }

    /**
     * Mutual TLS, as nginx's {@code ssl_verify_client on} with {@code ssl_client_certificate}: a
     * client must show a certificate that one of the CA certificates in the PEM file
     * {@code caCertificatesPem} signed, or its handshake is refused. {@link Connection#getPeerCertificate}
     * says who it is.
     */
    public Worker setSslVerifyClient(String caCertificatesPem) {
        this.sslClientCa = Path.of(caCertificatesPem);
        this.sslClientRequired = true;
        return this;
    }

    /**
     * {@link #setSslVerifyClient}, but a client without a certificate is served too, as nginx's
     * {@code ssl_verify_client optional}: {@link Connection#getPeerCertificate} is empty for it. A
     * certificate shown that those CAs did not sign is still refused.
     */
    public Worker setSslVerifyClientOptional(String caCertificatesPem) {
        this.sslClientCa = Path.of(caCertificatesPem);
        this.sslClientRequired = false;
        return this;
    }

    /** The CA certificates a client's certificate is checked against, or null: clients show none. */
    public Path getSslClientCa() {
        return sslClientCa;
    }

    /** Whether a client must show a certificate ({@link #setSslVerifyClient}), not may ({@link #setSslVerifyClientOptional}). */
    public boolean isSslClientRequired() {
        return sslClientRequired;
    }

    /** {@link #addSslCertificate}'s, by host name: the certificate's path, then the key's. */
    public Map<String, List<Path>> getSslCertificatesByHost() {
        return Collections.unmodifiableMap(sslCertificatesByHost);
    }

    /** {@code tcp}, {@code ssl} or {@code udp} (a udp:// address's, or a protocol's over {@code setTransport("udp")}). */
    public String getTransport() {
        return listen != null && listen.isUdp() ? "udp" : transport;
    }

    public Path getSslCertificate() {
        return sslCertificate;
    }

    public Path getSslKey() {
        return sslKey;
    }

    /** The user the workers run as (the master must run as root). */
    public Worker setUser(String user) {
        this.user = user;
        return this;
    }

    /** The group the workers run as (default: the user's primary group). */
    public Worker setGroup(String group) {
        this.group = group;
        return this;
    }

    /** Options for this group's worker JVMs, after drover's defaults (e.g. {@code -Xmx512m}). */
    public Worker setJvmOptions(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    /**
     * Whether {@code reload} replaces this group's processes (default true). When false they stay,
     * run {@code onWorkerReload}, and keep their pid.
     */
    public Worker setReloadable(boolean reloadable) {
        this.reloadable = reloadable;
        return this;
    }

    /**
     * The WebSocket subprotocols this websocket:// worker speaks ({@code Sec-WebSocket-Protocol}):
     * of those a client offers, the first that is here is chosen and named in the 101. None by
     * default, and then none is named; a browser that asked for one fails its connection, so name
     * them (Workerman's way is {@code $connection->headers} in onWebSocketConnect). {@code "*"}
     * takes whichever the client offers first. The choice is the handshake's
     * {@code sec-websocket-protocol} as onWebSocketConnect sees it: the client's offer.
     */
    public Worker setWebSocketProtocols(String... protocols) {
        for (String protocol : protocols) {
            if (protocol.isEmpty() || HttpHeaderValidationUtil.validateToken(protocol) != -1) { // the check PlainAnswer makes of a header name
                throw new IllegalArgumentException("WebSocket subprotocol '" + protocol + "' must be a token: visible ASCII without separators");
            }
        }
        this.webSocketProtocols = List.of(protocols);
        return this;
    }

    public List<String> getWebSocketProtocols() {
        return webSocketProtocols;
    }

    /**
     * Whether this websocket:// worker agrees to permessage-deflate (RFC 7692) when a client offers
     * it, as every browser does. Off by default, as in Workerman (which never compresses) and
     * Node's ws: each compressing connection keeps a zlib deflater and inflater for its life,
     * several times an idle connection's memory, and spends CPU on every frame. Turn it on for
     * large, repetitive messages (JSON documents) over slow links.
     */
    public Worker setWebSocketCompression(boolean compression) {
        this.webSocketCompression = compression;
        return this;
    }

    public boolean isWebSocketCompression() {
        return webSocketCompression;
    }

    /**
     * http:// and websocket:// (until the handshake is answered): how long a client may take to
     * send a request, as nginx's client_header_timeout and client_body_timeout (default 60 s, zero
     * disables). A head must be whole that long after its first byte came, and a body must not
     * pause for that long; a new connection must begin its first request in that time. A client
     * that does not is disconnected without an answer, as nginx disconnects it, so a slow client
     * (slowloris) cannot hold connections and descriptors without end. A request being answered
     * (a long poll, a stream) and a connection whose receiving the application paused are not
     * timed. Workerman has no such bound.
     */
    public Worker setRequestTimeout(Duration timeout) {
        this.requestTimeout = nonNegative(timeout, "request timeout");
        return this;
    }

    /** {@link #setRequestTimeout(Duration)} in seconds. */
    public Worker setRequestTimeout(double seconds) {
        return setRequestTimeout(seconds(seconds));
    }

    /**
     * http://: how long a kept-alive connection may wait for its next request after the last
     * answer went out, as nginx's keepalive_timeout (default 75 s, as nginx's; zero disables). Then
     * it is closed; clients open another when they need one.
     */
    public Worker setKeepAliveTimeout(Duration timeout) {
        this.keepAliveTimeout = nonNegative(timeout, "keep-alive timeout");
        return this;
    }

    /** {@link #setKeepAliveTimeout(Duration)} in seconds. */
    public Worker setKeepAliveTimeout(double seconds) {
        return setKeepAliveTimeout(seconds(seconds));
    }

    /** A setter's seconds, Workerman's unit, to the millisecond. */
    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static Duration nonNegative(Duration timeout, String what) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("a " + what + " is zero (none) or positive, not " + timeout);
        }
        return timeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    /**
     * How long a ready worker's event loop may stay silent (stuck in a callback, stopped, deadlocked)
     * before the master kills it with SIGKILL and starts another: default 30 s, zero disables. The
     * event loop sends a heartbeat three times per timeout; a callback that runs longer than the
     * timeout is taken for a hang.
     */
    public Worker setHangTimeout(Duration timeout) {
        this.limits = limits.withHangTimeout(timeout);
        return this;
    }

    /** {@link #setHangTimeout(Duration)} in seconds. */
    public Worker setHangTimeout(double seconds) {
        return setHangTimeout(seconds(seconds));
    }

    /**
     * Replace each worker gracefully after it served {@code max} messages (requests, frames, lines)
     * plus a random share of {@code jitter}, so workers started together are not replaced together
     * (gunicorn's max_requests and max_requests_jitter). One worker is replaced at a time, as a
     * graceful reload replaces it: it stops accepting and finishes its connections while its
     * successor starts, and the listening socket stays open in the master meanwhile, so no request
     * is lost. Zero (the default) disables it.
     */
    public Worker setMaxRequests(long max, long jitter) {
        this.limits = limits.withMaxRequests(max, jitter);
        return this;
    }

    /** {@link #setMaxRequests(long, long)} without jitter. */
    public Worker setMaxRequests(long max) {
        return setMaxRequests(max, 0);
    }

    /**
     * Replace a worker gracefully, as for maxRequests, once its resident memory (RSS) passes
     * {@code bytes}; the master checks every second. Zero (the default) disables it.
     */
    public Worker setMaxMemory(long bytes) {
        this.limits = limits.withMaxMemory(bytes);
        return this;
    }

    public Duration getHangTimeout() {
        return limits.hangTimeout();
    }

    public long getMaxRequests() {
        return limits.maxRequests();
    }

    public long getMaxMemory() {
        return limits.maxMemoryBytes();
    }

    public Worker onWorkerStart(WorkerCallback callback) {
        this.onWorkerStart = callback;
        return this;
    }

    public Worker onConnect(ConnectionCallback callback) {
        this.onConnect = callback;
        return this;
    }

    public Worker onMessage(MessageCallback callback) {
        this.onMessage = callback;
        return this;
    }

    public Worker onClose(ConnectionCallback callback) {
        this.onClose = callback;
        return this;
    }

    /** A connection's send buffer reached its maxSendBufferSize: further sends are dropped until it drains. */
    public Worker onBufferFull(ConnectionCallback callback) {
        this.onBufferFull = callback;
        return this;
    }

    /** A connection's send buffer emptied after it had been full. */
    public Worker onBufferDrain(ConnectionCallback callback) {
        this.onBufferDrain = callback;
        return this;
    }

    /** A connection failed: {@link Connection#CONNECT_FAIL}, {@link Connection#SEND_FAIL}. */
    public Worker onError(ErrorCallback callback) {
        this.onError = callback;
        return this;
    }

    /**
     * A {@code websocket://} client's handshake arrived; the request has its path and headers. It
     * runs before the 101 is written, as in Workerman, so it may refuse the client: {@code close()}
     * closes the connection without an answer (a browser's connection fails), and
     * {@code close(response)} answers with that {@link dev.drover.http.Response} (a 401, a 403) and
     * closes. {@link Connection#addWebSocketHeader} adds a header to the 101. Data sent from here
     * goes out as frames right behind the 101.
     */
    public Worker onWebSocketConnect(WebSocketConnectCallback callback) {
        this.onWebSocketConnect = callback;
        return this;
    }

    /**
     * A WebSocket client sent a ping. Without this drover answers every ping with a pong itself;
     * with it, as in Workerman, the application answers: {@code connection.send(payload)} from
     * here sends a pong, as {@code send(new WebSocketPong(payload))} does from anywhere. A hook that sends nothing leaves the
     * client without its answer (RFC 6455 5.5.2 asks for one as soon as practical), and a client
     * that pings to check the server may give up on it. To hear from clients, ping them and take
     * the pongs in {@link #onWebSocketPong} (docs/guide.md has the heartbeat); this hook is for an
     * application that answers pings its own way. A pong carries at most 125 bytes: a longer send
     * from here throws.
     */
    public Worker onWebSocketPing(WebSocketControlCallback callback) {
        this.onWebSocketPing = callback;
        return this;
    }

    /** A WebSocket client sent a pong: the answer to a {@link WebSocketPing}, or a heartbeat of its own. */
    public Worker onWebSocketPong(WebSocketControlCallback callback) {
        this.onWebSocketPong = callback;
        return this;
    }

    /**
     * A WebSocket client closes: its close frame arrived, before any of ours. Without this drover
     * answers with the same code and closes; with it, the application may still send (the end of a
     * message, say) and then {@code close()} or {@code close(new WebSocketClose(code, reason))}.
     * Unlike Workerman's, drover answers and closes once this returns if the application did not:
     * the client waits for that answer, and a connection nobody closes would stay. A close frame
     * that answers ours (a {@code close()}, a stop's 1001) does not come here.
     */
    public Worker onWebSocketClose(WebSocketCloseCallback callback) {
        this.onWebSocketClose = callback;
        return this;
    }

    /** In each worker process, when it stops (after its listeners closed). */
    public Worker onWorkerStop(WorkerCallback callback) {
        this.onWorkerStop = callback;
        return this;
    }

    /** In each worker process of a {@code setReloadable(false)} group, on reload. */
    public Worker onWorkerReload(WorkerCallback callback) {
        this.onWorkerReload = callback;
        return this;
    }

    /** In the master, before a reload replaces any worker; it may change counts with setCount. */
    public Worker onMasterReload(MasterCallback callback) {
        this.onMasterReload = callback;
        return this;
    }

    /** In the master, when it is about to stop its workers. */
    public Worker onMasterStop(MasterCallback callback) {
        this.onMasterStop = callback;
        return this;
    }

    /** In the master, after one of this Worker's processes ended. */
    public Worker onWorkerExit(WorkerExitCallback callback) {
        this.onWorkerExit = callback;
        return this;
    }

    // ---- reading ----

    /** This process's worker id, 0 to count-1; -1 outside a worker process. */
    public int getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public int getCount() {
        return count;
    }

    public boolean isReusePort() {
        return reusePort;
    }

    public boolean isReloadable() {
        return reloadable;
    }

    /** The listen address as given, or null. */
    public String getListen() {
        return listen == null ? null : listen.toString();
    }

    /** The listen address as given, or {@code none} (Workerman's getSocketName). */
    public String getSocketName() {
        return listen == null ? "none" : listen.toString();
    }

    /** The parsed listen address, or null. */
    public ListenAddress getListenAddress() {
        return listen;
    }

    public WorkerCallback getOnWorkerStart() {
        return onWorkerStart;
    }

    public ConnectionCallback getOnConnect() {
        return onConnect;
    }

    public MessageCallback getOnMessage() {
        return onMessage;
    }

    public ConnectionCallback getOnClose() {
        return onClose;
    }

    public ConnectionCallback getOnBufferFull() {
        return onBufferFull;
    }

    public ConnectionCallback getOnBufferDrain() {
        return onBufferDrain;
    }

    public ErrorCallback getOnError() {
        return onError;
    }

    public WebSocketConnectCallback getOnWebSocketConnect() {
        return onWebSocketConnect;
    }

    public WebSocketControlCallback getOnWebSocketPing() {
        return onWebSocketPing;
    }

    public WebSocketControlCallback getOnWebSocketPong() {
        return onWebSocketPong;
    }

    public WebSocketCloseCallback getOnWebSocketClose() {
        return onWebSocketClose;
    }

    public WorkerCallback getOnWorkerStop() {
        return onWorkerStop;
    }

    public WorkerCallback getOnWorkerReload() {
        return onWorkerReload;
    }

    /** This process's open connections of this Worker, by id. */
    public Map<Long, Connection> getConnections() {
        return running ? WorkerRuntime.current().connectionsOf(this) : Collections.emptyMap();
    }

    // ---- running ----

    /**
     * Inside {@code onWorkerStart}: listen on this Worker's address in the current process only. With
     * count &gt; 1 and no reusePort, the second process fails: the port is taken.
     *
     * @throws RuntimeException naming the address and the errno text when the bind fails, e.g.
     *     {@code bind 0.0.0.0:5678 failed: Address already in use (98)}
     */
    public void listen() {
        if (!running) {
            throw new IllegalStateException("listen() works inside a worker process (call it in onWorkerStart)");
        }
        this.id = WorkerRuntime.current().id();
        WorkerRuntime.current().listen(this);
    }

    /**
     * Whether this worker process is stopping (Workerman's {@code $worker->stopping}): a stop, a
     * restart or a reload began, its listeners are closed and its connections finishing. A timer
     * that starts long work can check it. False in the master and before {@code runAll}.
     */
    public boolean isStopping() {
        return inWorkerProcess() && WorkerRuntime.current().isStopping();
    }

    private static boolean inWorkerProcess() {
        return running && Environment.ROLE_WORKER.equals(Environment.role());
    }

    /** Every Worker the application made, in the order it made them (Workerman's getAllWorkers). */
    public static List<Worker> getAllWorkers() {
        return List.copyOf(GROUPS);
    }

    /**
     * Writes {@code message} to the log file, as Workerman's {@code Worker::log}: a line with the
     * time and pid, marked {@code worker[name:pid]} from a worker process. From the master's hooks
     * it is the master's line; printed to standard output where no master runs (in {@code main}
     * before {@code runAll}, in a command such as {@code status}).
     */
    public static void log(String message) {
        if (inWorkerProcess()) {
            WorkerRuntime.current().log(String.valueOf(message));
        } else if (!Arbiter.logForApplication(String.valueOf(message))) {
            System.out.println(message);
        }
    }

    /**
     * Inside a worker process: stops accepting connections on this Worker's listeners in this
     * process, as Workerman's {@code pauseAccept} (to shed load while it is saturated, say). New
     * clients wait in the listening socket's queue, or are accepted by the group's other workers
     * that share it; connections already open go on. {@link #resumeAccept} undoes it. A reload or
     * restart's new worker accepts again.
     *
     * @throws IllegalStateException outside a worker process
     */
    public void pauseAccept() {
        accepting(false);
    }

    /** Inside a worker process: accepts connections again after {@link #pauseAccept}. */
    public void resumeAccept() {
        accepting(true);
    }

    private void accepting(boolean accept) {
        if (!inWorkerProcess()) {
            throw new IllegalStateException((accept ? "resumeAccept" : "pauseAccept") + "() works inside a worker process (in a callback)");
        }
        WorkerRuntime.current().pauseAccept(this, !accept);
    }

    /**
     * Runs the application: as the command in {@code args} says ({@code start}, {@code stop}, ...)
     * in the master, or the group this process was started for in a worker. Does not return.
     */
    public static void runAll(String[] args) {
        if (running) {
            throw new IllegalStateException("Worker.runAll was called twice");
        }
        running = true;
        if (refusedListen != null && (args.length == 0 || !onlyAsksTheMaster(args[0]))) {
            throw refusedListen; // its stack names the application's new Worker(...) line (MainErrors)
        }
        if (Environment.ROLE_WORKER.equals(Environment.role())) {
            WorkerRuntime runtime = WorkerRuntime.current();
            Worker worker = GROUPS.get(runtime.groupIndex());
            worker.id = runtime.id();
            System.exit(runtime.run(worker));
        }
        int code = Cli.run(spec(), args);
        Reply.finishDrains(Duration.ofSeconds(5)); // a master's last answers to operators, written by threads of their own
        System.exit(code);
    }

    /** Stops the master and every worker: from any worker process, or from code in the master. */
    public static void stopAll() {
        stopAll(false);
    }

    /** Stops everything; graceful: open connections finish first. */
    public static void stopAll(boolean graceful) {
        command(graceful ? "stop -g" : "stop");
    }

    /** Reloads every worker (as the {@code reload} command): from any worker process or the master. */
    public static void reloadAll() {
        reloadAll(false);
    }

    /** Reloads every worker; graceful: old workers finish their connections. */
    public static void reloadAll(boolean graceful) {
        command(graceful ? "reload -g" : "reload");
    }

    private static void command(String command) {
        if (inWorkerProcess()) {
            WorkerRuntime.current().askMaster(command);
        } else if (!Arbiter.request(command)) {
            throw new IllegalStateException("no drover master runs in this process; '" + command + "' needs Worker.runAll first");
        }
    }

    private static AppSpec spec() {
        String main = JvmCommand.detectMainClass();
        String appName = main.substring(main.lastIndexOf('.') + 1);
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 0; i < GROUPS.size(); i++) {
            Worker w = GROUPS.get(i);
            groups.add(new GroupSpec(i, w.name, w.count, w.listen, w.reusePort, w.user, w.group, w.reloadable, w.jvmOptions, w.limits,
                    SharedState.isHeldBy(w)));
        }
        return new AppSpec(appName, groups, pidFile, logFile, logFileMaxSize, stdoutFile, stopTimeout, gracefulTimeout,
                new Hooks(List.copyOf(GROUPS)));
    }

    /** The master-side callbacks of every group, for the master. */
    private record Hooks(List<Worker> groups) implements MasterHooks {
        @Override
        public void onMasterReload() throws Exception {
            for (Worker worker : groups) {
                if (worker.onMasterReload != null) {
                    worker.onMasterReload.call();
                }
            }
        }

        @Override
        public void onMasterStop() throws Exception {
            for (Worker worker : groups) {
                if (worker.onMasterStop != null) {
                    worker.onMasterStop.call();
                }
            }
        }

        @Override
        public void onWorkerExit(int groupIndex, int pid, ExitStatus status) throws Exception {
            Worker worker = groups.get(groupIndex);
            if (worker.onWorkerExit != null) {
                worker.onWorkerExit.call(worker, pid, status.number());
            }
        }

        @Override
        public int count(int groupIndex) {
            return groups.get(groupIndex).count;
        }
    }
}
