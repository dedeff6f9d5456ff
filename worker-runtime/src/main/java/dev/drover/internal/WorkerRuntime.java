package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.ErrorCallback;
import dev.drover.SendStatus;
import dev.drover.Worker;
import dev.drover.WorkerCallback;
import dev.drover.internal.channel.Stores;
import dev.drover.master.ControlMessage;
import dev.drover.master.ListenAddress;
import dev.drover.master.Listeners;
import dev.drover.master.os.Os;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.PlatformDependent;
import dev.drover.master.Environment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The worker process: one Netty epoll event loop thread that runs every callback, the listeners
 * handed over by the master (or bound here), and the control channel. Status questions are
 * answered from the control thread, so a worker stuck in a callback still answers (as busy).
 */
public final class WorkerRuntime {
    private static volatile WorkerRuntime current;

    /** The OS seam, loaded (jffi) only when this worker binds a socket itself. */
    private final Supplier<Os> os;
    private final ControlClient control;
    private final int groupIndex;
    private final int id;
    private final Handoff handoff;
    private final EventLoopGroup loop;
    private final Timers timers;
    private final FlushBatch flushBatch;
    /** Shared with the group's other workers on the handed-over listener: see {@link AcceptBalance}. */
    private final AcceptBalance balance;
    /** Its listeners; listen() may add one from another thread. */
    private final List<Server> servers = new CopyOnWriteArrayList<>();
    /** The sockets the slot's earlier worker bound itself and lent the master, by socket key, until a listen() takes them or READY closes them. */
    private final Map<String, Integer> lent;
    private final Map<Worker, Map<Long, Connection>> connections = new ConcurrentHashMap<>();
    private final RequestTimeouts requestTimeouts;
    /** The worker ends with 250, closing its connections ({@link #callbackFailed}). */
    private boolean endingAll;
    /** Connections this process opened (AsyncTcpConnection), by id. */
    private final Map<Long, Connection> outgoing = new ConcurrentHashMap<>();
    private final AtomicLong totalRequests = new AtomicLong();
    /** The messages this worker serves before it asks to be replaced; 0 for no limit. */
    private final long maxRequests = envLongOrZero(Environment.MAX_REQUESTS);
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile boolean busy;
    private long lastConnectionId;
    /** The recording worker's exchange with itself is under way (on the loop, before READY): see {@link #rehearse}. */
    private boolean rehearsing;
    private Worker worker;
    private boolean stopping;
    /** Whether its connections were told to end (a stop; a retired worker serves them until then). */
    private boolean draining;
    /** Whether a reload replaces it: its replacement starts, and it serves on until its stop (or a resume). */
    private boolean retired;
    /** Its own listeners it lent the master (they stay open here until the stop). */
    private final Set<Channel> lentOwn = ConcurrentHashMap.newKeySet();
    /** Whether it told the master it is ready. */
    private volatile boolean ready;
    /** Over how long a retired worker's connections are told to end once it is stopped (0: at once). */
    private long retiredSpreadNanos;
    private boolean finished;

    WorkerRuntime(Supplier<Os> os, ControlClient control, int groupIndex, int id, Handoff handoff) {
        this.os = os;
        this.control = control;
        this.groupIndex = groupIndex;
        this.id = id;
        this.handoff = handoff;
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("drover-loop"), EpollIoHandler.newFactory(0, YieldBeforeWait.factory()));
        this.timers = new Timers(loop.next(), (name, task) -> call(name, task::run));
        this.flushBatch = new FlushBatch(loop.next());
        this.requestTimeouts = new RequestTimeouts(loop.next(), connections::values);
        this.balance = balance(handoff.balanceFd());
        this.lent = new ConcurrentHashMap<>(handoff.lent());
    }

    /** The group's balance page, or none: a worker that cannot map it takes its batches whole, as if alone. */
    private AcceptBalance balance(int fd) {
        if (fd < 0) {
            return AcceptBalance.none();
        }
        try {
            return AcceptBalance.open(fd, id);
        } catch (RuntimeException e) {
            control.log("warning: worker " + id + " takes its connections without regard to its siblings': " + e.getMessage());
            return AcceptBalance.none();
        }
    }

    /** This process's timers ({@link dev.drover.Timer}). */
    public Timers timers() {
        return timers;
    }

    static void install(WorkerRuntime runtime) {
        current = runtime;
    }

    /** The runtime of this worker process. */
    public static WorkerRuntime current() {
        WorkerRuntime runtime = current;
        if (runtime == null) {
            throw new IllegalStateException("not in a drover worker process: timers, AsyncTcpConnection and the other calls of a"
                    + " running worker work on its event loop; make them in onWorkerStart or a later callback, not in main() before"
                    + " Worker.runAll, nor in the master's hooks");
        }
        return runtime;
    }

    public int groupIndex() {
        return groupIndex;
    }

    public int id() {
        return id;
    }

    /** The Worker this process runs (its group). */
    public Worker worker() {
        return worker;
    }

    /**
     * The handlers of a new connection of this process, after its TLS handler: its traffic (counted,
     * flushes batched with every other connection's, see {@link Flushes}; its codec's own handler for
     * HTTP), its codec's, and the callbacks'.
     */
    void installConnection(ChannelPipeline pipeline, NettyConnection connection) {
        pipeline.channel().config().setRecvByteBufAllocator(LoopBuffers.READS);
        pipeline.addLast(connection.traffic());
        connection.codec().install(pipeline, connection);
        pipeline.addLast(new ConnectionHandler(this, connection));
    }

    /** The task that flushes this process's connections written to outside their reads. */
    FlushBatch flushBatch() {
        return flushBatch;
    }

    /** The event loop every callback of this process runs on. */
    public EventLoopGroup loop() {
        return loop;
    }

    /** Runs {@code worker}'s group in this process until it stops; returns the exit status. */
    public int run(Worker group) {
        this.worker = group;
        installSignals();
        loop.execute(this::start);
        // The reading ends with the loop (however it ends), or with the master.
        loop.terminationFuture().addListener(ended -> control.channel().shutdownInput());
        new ControlReader(control.channel(), this::onControl, this::masterGone).run();
        loop.terminationFuture().syncUninterruptibly();
        return 0;
    }

    /**
     * An operator may signal a worker directly; it obeys as the master would: INT, TERM, HUP, TSTP
     * stop it, WINCH stops it gracefully, USR1 / USR2 reload it (gracefully), IO logs its connections.
     * TTIN and TTOU are the master's (a worker more or fewer): their default would stop this process
     * until a SIGCONT, and the master would find it hung (a {@code pkill -TTIN} reaches workers too).
     */
    private void installSignals() {
        for (String signal : List.of("TTIN", "TTOU")) {
            Signal.handle(new Signal(signal), SignalHandler.SIG_IGN);
        }
        for (String signal : List.of("INT", "TERM", "HUP", "TSTP")) {
            Signal.handle(new Signal(signal), s -> leave(false));
        }
        Signal.handle(new Signal("WINCH"), s -> leave(true));
        Signal.handle(new Signal("USR1"), s -> reloadSelf(false));
        Signal.handle(new Signal("USR2"), s -> reloadSelf(true));
        Signal.handle(new Signal("IO"), s -> {
            String rows = connectionRows();
            log(rows.isBlank() ? "connections: none" : "connections:\n" + rows);
        });
        // SIGIOT (SIGABRT), Workerman's status signal; a crashing JVM's own abort still ends it (abort raises it again, unhandled)
        Signal.handle(new Signal("ABRT"), s -> log("status: " + statusFields()));
    }

    /** Stops on this worker's own account: the master respawns it without backoff. */
    private void leave(boolean graceful) {
        tellMaster(ControlMessage.of(ControlMessage.STOPPING));
        stop(graceful);
    }

    /** A message on the way out: a master that is gone changes nothing, the worker stops all the same. */
    private void tellMaster(ControlMessage message) {
        try {
            control.send(message);
        } catch (RuntimeException masterGone) {
            // stopping anyway
        }
    }

    /** A reload signal to this worker itself: onWorkerReload, and then, as Workerman's, the worker goes if it is reloadable. */
    private void reloadSelf(boolean graceful) {
        loop.execute(() -> {
            call("onWorkerReload", worker.getOnWorkerReload());
            if (worker.isReloadable()) {
                leave(graceful);
            }
        });
    }

    private void start() {
        call("onWorkerStart", worker.getOnWorkerStart());
        // Redis clients its main() or onWorkerStart made are set up off the loop (Stores.prepare): accepting waits for them,
        // so that no first request does, on the loop, and a reload's old worker serves meanwhile. Bounded: Redis may be away.
        Stores.prepared().completeOnTimeout(null, PREPARE_PATIENCE_SECONDS, TimeUnit.SECONDS)
                .whenComplete((prepared, failed) -> loop.execute(this::listen));
    }

    /** How long accepting waits for {@link Stores#prepared}: Redis' connect timeout, and a second. */
    private static final long PREPARE_PATIENCE_SECONDS = 6;

    private void listen() {
        if (draining) {
            return; // told to stop while its Redis clients were set up: it never accepts
        }
        ListenAddress address = worker.getListenAddress();
        if (address != null && recording() && Rehearsal.applies(address)) {
            rehearse(this::serveListeners);
        } else {
            serveListeners();
        }
    }

    /** Whether this worker records its command's class list for the workers' class archive (the first worker of a command). */
    private static boolean recording() {
        return System.getenv(Environment.RECORDING) != null;
    }

    private void serveListeners() {
        List<ChannelFuture> registered = new ArrayList<>();
        if (worker.getListenAddress() != null) {
            int[] fds = handoff.listenFds();
            try {
                registered.add(fds.length > 0 ? serve(worker, fds[0], false, balance) : serve(worker, bind(worker), !worker.isReusePort(), AcceptBalance.none()));
            } catch (RuntimeException e) {
                Fatal.exit(control, "worker " + worker.getName() + " cannot listen on " + worker.getListen(), e, 1);
            }
        }
        whenAll(registered, () -> loop.execute(() -> {
            closeUnclaimedLent();
            lendOwnListeners();
            ready = true;
            beat();
            if (recording()) {
                ClassListEnd.mark();
            }
            control.ready();
        }));
    }

    /**
     * Sends the master a heartbeat from the event loop every DROVER_HEARTBEAT_MS: a loop stuck in a
     * callback stops beating, and the master replaces the worker after its hangTimeout.
     */
    private void beat() {
        long interval = envLongOrZero(Environment.HEARTBEAT_MILLIS);
        if (interval > 0) {
            loop.scheduleAtFixedRate(() -> {
                if (!finished) {
                    control.send(ControlMessage.of(ControlMessage.BEAT));
                }
            }, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private static long envLongOrZero(String name) {
        String value = System.getenv(name);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Runs {@code then} once every registration succeeded; a failed one ends the worker. */
    private void whenAll(List<ChannelFuture> futures, Runnable then) {
        if (futures.isEmpty()) {
            then.run();
            return;
        }
        int[] remaining = {futures.size()};
        futures.forEach(f -> f.addListener(done -> {
            if (!done.isSuccess()) {
                Fatal.exit(control, "worker " + worker.getName() + " cannot serve " + worker.getListen(), done.cause(), 1);
            }
            if (--remaining[0] == 0) {
                then.run();
            }
        }));
    }

    /**
     * {@code Worker.listen()}: serve the Worker's address here, on the socket the worker before it
     * in its slot lent the master ({@link #lendToMaster}), else on one bound now in this process.
     */
    public void listen(Worker listener) {
        Integer lentFd = lent.remove(listener.getListenAddress().socketKey());
        int fd = lentFd != null ? lentFd : bind(listener);
        boolean own = lentFd != null || !listener.isReusePort();
        ChannelFuture registered = serve(listener, fd, own, AcceptBalance.none());
        if (registered.isDone() && !registered.isSuccess()) {
            throw new IllegalStateException("cannot serve " + listener.getListen() + ": " + registered.cause(), registered.cause());
        }
        if (own) { // on the loop, after READY's lending: a listen() before it was lent there
            Channel channel = registered.channel();
            loop.execute(() -> {
                if (!ready) {
                    return;
                }
                for (Server server : servers) {
                    if (server.channel() == channel) {
                        lendToMaster(server);
                    }
                }
            });
        }
    }

    /**
     * Worker.pauseAccept and resumeAccept: {@code listener}'s stream listeners in this process stop
     * or go on accepting, on the loop. Datagram listeners have nothing to accept.
     */
    public void pauseAccept(Worker listener, boolean pause) {
        onLoop(() -> { // from a callback: at once, before anything the callback sends goes out
            for (Server server : servers) {
                if (server.listener() == listener) {
                    Acceptor.pause(server.channel(), pause);
                }
            }
        });
    }

    /** Runs {@code action} now on the event loop thread, or hands it to the loop from another thread. */
    public void onLoop(Runnable action) {
        if (loop.next().inEventLoop()) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    private int bind(Worker listener) {
        return Listeners.open(os.get(), listener.getListenAddress(), listener.isReusePort());
    }

    /** The lent sockets no listen() took (the new code listens elsewhere): closed as the worker gets ready. */
    private void closeUnclaimedLent() {
        lent.forEach((key, fd) -> {
            try {
                new FileDescriptor(fd).close();
            } catch (IOException e) {
                // closed either way
            }
            log("the socket its predecessor lent on " + key + " was not listened on again: closed");
        });
        lent.clear();
    }

    /** @param own whether only this process holds {@code fd}: bound here without reusePort (a listen() in onWorkerStart), or lent */
    private ChannelFuture serve(Worker listener, int fd, boolean own, AcceptBalance balance) {
        boolean unix = listener.getListenAddress().isUnix();
        ChannelFuture future = listener.getListenAddress().isUdp() ? serveDatagrams(listener, fd)
                : accept(listener, unix ? new EpollServerDomainSocketChannel(fd, true) : new EpollServerSocketChannel(fd), balance);
        servers.add(new Server(future.channel(), listener, own));
        return future;
    }

    /**
     * A listening channel, whose connections it takes, and whether it is this process's own: an
     * address only one process may bind, which a reload's replacement cannot bind beside it.
     */
    private record Server(Channel channel, Worker listener, boolean own) {}

    /** Registers {@code server}, whose connections are {@code listener}'s. */
    private ChannelFuture accept(Worker listener, ServerChannel server, AcceptBalance balance) {
        boolean unix = listener.getListenAddress().isUnix();
        Codec codec = Codec.forScheme(unix ? "tcp" : listener.getListenAddress().protocol());
        Function<Channel, ChannelHandler> tls = listener.getTransport().equals("ssl") ? Tls.server(listener) : null;
        return Acceptor.register(server, loop, channel -> {
            if (!unix && !PlatformDependent.canEnableTcpNoDelayByDefault()) {
                // Netty's epoll channels set TCP_NODELAY as they are made where it can; once is one system call per connection
                channel.config().setOption(ChannelOption.TCP_NODELAY, true);
            }
            NettyConnection connection = new NettyConnection(channel, listener, codec, nextConnectionId(), this);
            if (tls != null) {
                channel.pipeline().addLast(Tls.HANDLER, tls.apply(channel));
            }
            installConnection(channel.pipeline(), connection);
        }, balance);
    }

    /**
     * The worker recording its command's class list has one exchange with itself before it serves
     * (see {@link Rehearsal}), on a loopback port of its own that Netty binds (not jffi, whose
     * classes would then fill every worker's archive), with nothing counted; then {@code then}.
     */
    private void rehearse(Runnable then) {
        String protocol = worker.getListenAddress().protocol();
        Worker stand = Rehearsal.listener(protocol);
        rehearsing = true;
        Runnable done = () -> loop.execute(() -> {
            rehearsing = false;
            totalRequests.set(0); // the rehearsal's message: nothing else was served yet
            lastConnectionId = 0;
            then.run();
        });
        ChannelFuture registered = accept(stand, new EpollServerSocketChannel(), AcceptBalance.none());
        ChannelPromise bound = registered.channel().newPromise();
        registered.addListener(result -> {
            if (result.isSuccess()) {
                registered.channel().bind(new InetSocketAddress("127.0.0.1", 0), bound).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            } else {
                bound.setFailure(result.cause());
            }
        });
        bound.addListener(result -> {
            if (!result.isSuccess()) {
                done.run();
                return;
            }
            int port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
            Rehearsal.client(bound.channel().eventLoop(), protocol, port, () -> bound.channel().close().addListener(closed -> done.run()));
        });
    }

    /**
     * {@code udp://}: each datagram is one message, whole; over a protocol's scheme (transport
     * udp), each package its {@code input} cuts from a datagram. The sender is the connection
     * {@code send} answers.
     */
    private ChannelFuture serveDatagrams(Worker listener, int fd) {
        String scheme = listener.getListenAddress().protocol();
        dev.drover.Protocol protocol = scheme.equals("udp") ? null : dev.drover.Protocol.named(scheme);
        ChannelFuture future = new Bootstrap()
                .group(loop)
                .channelFactory(() -> new EpollDatagramChannel(fd))
                .option(ChannelOption.RCVBUF_ALLOCATOR, Datagrams.WHOLE)
                .handler(new ForwardingInbound() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        DatagramPacket packet = (DatagramPacket) message;
                        byte[] data = Datagrams.take(packet);
                        UdpConnection sender = new UdpConnection(ctx.channel(), packet.sender(), listener, nextConnectionId(), protocol);
                        requestArrived();
                        if (listener.getOnMessage() == null) {
                            return;
                        }
                        if (protocol == null) {
                            call("onMessage", () -> listener.getOnMessage().call(sender, data));
                            return;
                        }
                        try {
                            Datagrams.packages(protocol, data, sender, decoded -> call("onMessage", () -> listener.getOnMessage().call(sender, decoded)));
                        } catch (RuntimeException failed) { // the protocol's own code, on what anyone may send: only this datagram is lost
                            log("a datagram from " + sender.getRemoteAddress() + " to " + listener.getListenAddress() + " was dropped: protocol "
                                    + scheme + " failed on it: " + failed);
                        }
                    }
                })
                .register();
        return future;
    }

    // ---- callbacks and counters ----

    /** Application code that may throw anything: a callback, a timer task. */
    @FunctionalInterface
    interface Callback {
        void run() throws Exception;
    }

    /**
     * Runs application code on the loop, marked busy for status; an exception escaping it ends the
     * worker with status 250.
     */
    void call(String name, Callback callback) {
        if (callback == null) {
            return;
        }
        boolean outer = busy; // a callback inside another (onError from a send, onBufferFull) leaves the outer one busy
        busy = true;
        try {
            callback.run();
        } catch (Throwable e) {
            callbackFailed(name, worker, e);
        } finally {
            busy = outer;
        }
    }

    /** Whether this worker is on its way out (stopped: its listeners closed, its connections draining). */
    public boolean isStopping() {
        return stopping;
    }

    /** Writes {@code text} to the master's log, naming this worker. */
    public void log(String text) {
        control.log("worker[" + worker.getName() + ":" + ProcessHandle.current().pid() + "] " + text);
    }

    /** Runs application code the public API calls on the worker's behalf (same rules as {@link #call}). */
    public void callApplication(String name, dev.drover.TimerTask code) {
        call(name, code::run);
    }

    private void call(String name, WorkerCallback callback) {
        if (callback != null) {
            call(name, () -> callback.call(worker));
        }
    }

    void requestArrived() {
        if (totalRequests.incrementAndGet() == maxRequests && !rehearsing) {
            askToBeRecycled();
        }
    }

    /** It served its maxRequests: the master replaces it gracefully. */
    private void askToBeRecycled() {
        control.send(ControlMessage.of(ControlMessage.RECYCLE, Long.toString(maxRequests)));
    }

    /** A send {@code connection} dropped: counted (status's send_fail), told to its {@code onError} as SEND_FAIL; FAILED. */
    public SendStatus sendFailed(Connection connection, ErrorCallback onError, String why) {
        sendFailures.incrementAndGet();
        call("onError", onError == null ? null : () -> onError.call(connection, Connection.SEND_FAIL, why));
        return SendStatus.FAILED;
    }

    long nextConnectionId() {
        return ++lastConnectionId;
    }

    void opened(NettyConnection connection) {
        Map<Long, Connection> open = connection.isOutgoing() ? outgoing
                : connections.computeIfAbsent(connection.getWorker(), w -> new ConcurrentHashMap<>());
        open.put(connection.getId(), connection);
        if (connection.requestTimed()) {
            requestTimeouts.watch(connection.getWorker());
        }
    }

    void closed(NettyConnection connection) {
        Map<Long, Connection> open = connection.isOutgoing() ? outgoing : connections.get(connection.getWorker());
        if (open != null) {
            open.remove(connection.getId(), connection); // not a reconnect's, which took the same id
        }
        if (draining && openConnections() == 0) { // not when only retired: it waits for its stop or resume
            loop.execute(this::finishStop); // after its onClose (the one loop's next task): onWorkerStop comes after every connection's
        }
    }

    private int openConnections() {
        int open = outgoing.size();
        for (Map<Long, Connection> accepted : connections.values()) {
            open += accepted.size();
        }
        return open;
    }

    /** This process's open connections of {@code listener}. */
    public Map<Long, Connection> connectionsOf(Worker listener) {
        return Collections.unmodifiableMap(connections.getOrDefault(listener, Map.of()));
    }

    /**
     * An exception escaped a callback: log it and end the worker with status 250, as Workerman,
     * whose stopAll runs onWorkerStop first (not again when it was onWorkerStop that threw), then
     * closes every connection: what was sent to it goes out, and its onClose runs (once: not for a
     * failure in an onClose of this end). Exceptions there are added to the trace the master logs.
     */
    void callbackFailed(String callback, Worker where, Throwable error) {
        if (!finished && worker != null && worker.getOnWorkerStop() != null) {
            finished = true;
            try {
                worker.getOnWorkerStop().call(worker);
            } catch (Throwable alsoFailed) {
                error.addSuppressed(alsoFailed);
            }
        }
        if (!endingAll) {
            endingAll = true;
            for (NettyConnection connection : connectionsNow()) {
                connection.endWithWorker(error);
            }
        }
        Fatal.exit(control, "exception in " + callback + " of worker " + where.getName(), error, Fatal.STATUS);
    }

    /** {@code Worker.stopAll()} / {@code reloadAll()} in a worker: the master carries it out. */
    public void askMaster(String command) {
        control.send(ControlMessage.of(ControlMessage.COMMAND, command));
    }

    // ---- control ----

    private void onControl(ControlMessage message) {
        switch (message.type()) {
            case ControlMessage.STOP -> {
                boolean last = ControlMessage.GRACEFUL_LAST.equals(message.argument());
                stop(last || ControlMessage.GRACEFUL.equals(message.argument()), last);
            }
            case ControlMessage.RETIRE -> retire(Long.parseLong(message.argument()));
            case ControlMessage.RESUME -> {
                yieldSharedState(false);
                resume();
            }
            case ControlMessage.YIELD -> yieldSharedState(true);
            case ControlMessage.RELOAD -> loop.execute(() -> call("onWorkerReload", worker.getOnWorkerReload()));
            case ControlMessage.STATUS -> control.send(ControlMessage.of(ControlMessage.STATUS, statusFields()));
            case ControlMessage.CONNECTIONS -> control.send(ControlMessage.of(ControlMessage.CONNECTIONS, connectionRows()));
            default -> control.log("worker " + id + " got an unknown control message: " + message.type());
        }
    }

    // Status, connections and stop walk the connections with plain loops, and status builds its
    // answer with a StringBuilder: a Formatter's first use loads the regex engine and the locale
    // providers (~190 classes), a stream's its pipeline classes and lambdas, all interpreted the
    // first time a worker answers, while the master waits for it.

    private String statusFields() {
        return new StringBuilder(96).append("busy=").append(busy ? 1 : 0).append(" connections=").append(openConnections())
                .append(" send_fail=").append(sendFailures.get()).append(" timers=").append(timers.count())
                .append(" total_request=").append(totalRequests.get()).toString();
    }

    private String connectionRows() {
        StringJoiner rows = new StringJoiner("\n");
        for (NettyConnection connection : connectionsNow()) {
            rows.add(connection.row());
        }
        return rows.toString();
    }

    /** This process's open connections, accepted and outgoing, as they are now. */
    private List<NettyConnection> connectionsNow() {
        List<NettyConnection> all = new ArrayList<>();
        for (Map<Long, Connection> open : connections.values()) {
            for (Connection connection : open.values()) {
                all.add((NettyConnection) connection);
            }
        }
        for (Connection connection : outgoing.values()) {
            all.add((NettyConnection) connection);
        }
        return all;
    }

    /**
     * The control channel ended: the master is gone. Stop, and whatever a callback is doing,
     * exit within stopTimeout: no worker outlives its master.
     */
    private void masterGone() {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(stopTimeout().toMillis());
            } catch (InterruptedException ignored) {
                // exit now then
            }
            Runtime.getRuntime().halt(0);
        }, "drover-orphan-guard");
        reaper.setDaemon(true);
        reaper.start();
        try {
            stop(false);
        } catch (RejectedExecutionException ended) {
            // the loop has ended already: the worker is on its way out
        }
    }

    private static Duration stopTimeout() {
        String millis = System.getenv(Environment.STOP_TIMEOUT_MILLIS);
        return Duration.ofMillis(millis == null ? 2000 : Long.parseLong(millis));
    }

    /**
     * Closes the listeners at once, then lets every connection end without losing a request (see
     * {@link NettyConnection#drain}); graceful leaves non-HTTP connections to their clients. Timers
     * run on meanwhile, as Workerman's do through a graceful stop: a request a timer answers is
     * answered. Once none is left, runs onWorkerStop and ends the loop. The master's stopTimeout
     * (or gracefulTimeout) caps the wait with SIGKILL.
     */
    private void stop(boolean graceful) {
        stop(graceful, false);
    }

    /** @param last whether no worker serves its clients after this one: a graceful stop keeps its WebSockets too */
    private void stop(boolean graceful, boolean last) {
        loop.execute(() -> {
            if (draining && graceful) {
                return;
            }
            long spread = draining ? 0 : retiredSpreadNanos;
            draining = true;
            servers.forEach(server -> server.channel().close());
            stopAccepting(); // timers run on: one may be what answers a request in flight
            List<NettyConnection> open = connectionsNow();
            for (int i = 0; i < open.size(); i++) {
                NettyConnection connection = open.get(i);
                long delay = DrainPace.delayNanos(i, open.size(), spread);
                if (delay == 0) {
                    connection.drain(graceful, last);
                } else {
                    loop.schedule(() -> connection.drain(graceful, last), delay, TimeUnit.NANOSECONDS);
                }
            }
            if (openConnections() == 0) {
                finishStop();
            } else if (!graceful) {
                // A stream that never ends (server-sent events, a held long-poll) must not keep a stop waiting.
                loop.schedule(this::finishStop, Math.max(100, stopTimeout().toMillis() - 200), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * A reload replaces this worker, or a restart's new master's workers do: it goes on serving as if
     * nothing happened, accepting on every listener, timers and all, until the master's {@code stop}
     * once the replacement is ready; then it tells its connections to end over {@code spreadMillis}
     * ({@link DrainPace}). So nobody waits for the replacement's start (with count 1, nobody else
     * accepts meanwhile), its clients are not sent to its siblings, nor to the replacement all at
     * once; and should the replacement fail, the master's {@code resume} has it take its slot back,
     * as it was. The addresses only one process may bind ({@link Server#own}: a listen() in
     * onWorkerStart without reusePort) it lent the master as it got ready ({@link #lendToMaster}),
     * and keeps them; under an older master, which keeps no copies, it closes them, for the
     * replacement to bind.
     */
    private void retire(long spreadMillis) {
        loop.execute(() -> {
            if (stopping || retired) {
                return;
            }
            retired = true;
            retiredSpreadNanos = TimeUnit.MILLISECONDS.toNanos(spreadMillis);
            for (Server server : servers) {
                if (server.own() && !lentOwn.contains(server.channel())) {
                    server.channel().close();
                }
            }
            tellMaster(ControlMessage.of(ControlMessage.DRAINING));
        });
    }

    /**
     * A restart's new master starts: listeners of shared state ({@link SharedState}) accept no more,
     * so that the new master's workers reach the new server alone (beside the old one they split
     * their values and subscriptions between two servers, and under {@code restart -g} the old
     * server waited for their connections for ever), and serve their clients on; {@code resume}
     * undoes it. Pausing twice, or resuming what was not paused, does nothing ({@link Acceptor#pause}).
     */
    private void yieldSharedState(boolean yield) {
        loop.execute(() -> {
            if (stopping) {
                return; // its listeners are closed
            }
            for (Server server : servers) {
                if (SharedState.isHeldBy(server.listener())) {
                    Acceptor.pause(server.channel(), yield);
                }
            }
        });
    }

    /** Lends the master every open listener this worker bound itself ({@link #lendToMaster}). */
    private void lendOwnListeners() {
        for (Server server : servers) { // no stream: ~20 classes more in every worker, for a list that is mostly empty
            if (server.own() && server.channel().isOpen()) {
                lendToMaster(server);
            }
        }
    }

    /**
     * Lends the master a listener this worker bound itself: it goes over the control channel
     * ({@code listener}), and the master keeps a copy for the next worker of this slot (a respawn,
     * a reload's replacement, a restart's new worker), whose listen() takes it instead of binding
     * the address (it could not beside this one, and meanwhile the address refuses nobody).
     */
    private void lendToMaster(Server server) {
        ListenAddress address = server.listener().getListenAddress();
        if (!address.isUnix() && address.port() == 0 || !HoldsOwn.MASTER_KEEPS_COPIES || !lentOwn.add(server.channel())) {
            return; // a kernel-chosen port is this process's alone (two would share a key); an older master keeps none; or lent already
        }
        try {
            control.lend(((UnixChannel) server.channel()).fd().intValue(), address.socketKey());
        } catch (RuntimeException masterGone) {
            // nobody takes it: the replacement binds the address once this worker has exited
        }
    }

    /** Its replacement failed: a retired worker takes its slot back and serves on as before. */
    private void resume() {
        loop.execute(() -> {
            if (!retired || stopping) {
                return;
            }
            retired = false;
            retiredSpreadNanos = 0;
            log("its replacement failed: it serves on as before");
            lentOwn.clear(); // the master closed its copies as the replacement failed with them
            lendOwnListeners();
            if (maxRequests > 0 && totalRequests.get() >= maxRequests) { // reached while retired, when the master ignores it
                askToBeRecycled();
            }
        });
    }

    /** The worker is on its way out (the caller closed its listeners): no sibling waits for it. */
    private void stopAccepting() {
        if (stopping) {
            return;
        }
        stopping = true;
        balance.leave();
        if (!retired) {
            tellMaster(ControlMessage.of(ControlMessage.DRAINING)); // a retired worker said so at its retire
        }
    }

    private void finishStop() {
        if (finished) {
            return;
        }
        finished = true;
        call("onWorkerStop", worker.getOnWorkerStop());
        timers.delAll();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
