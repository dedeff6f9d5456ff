package dev.drover.internal;

import dev.drover.Connection;
import dev.drover.Worker;
import dev.drover.master.ControlMessage;
import dev.drover.master.Listeners;
import dev.drover.master.os.Os;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The worker process: one Netty epoll event loop thread that runs every callback, the listeners
 * handed over by the master (or bound here), and the control channel.
 */
public final class WorkerRuntime {
    /** An operator may signal a worker directly; these stop it as they stop the master. */
    private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP", "TSTP");

    private static volatile WorkerRuntime current;

    private final Os os;
    private final ControlClient control;
    private final int groupIndex;
    private final int id;
    private final Handoff handoff;
    private final EventLoopGroup loop;
    private final List<Channel> servers = new ArrayList<>();
    private final Map<Worker, Map<Long, Connection>> connections = new IdentityHashMap<>();
    private long lastConnectionId;
    private boolean stopping;

    WorkerRuntime(Os os, ControlClient control, int groupIndex, int id, Handoff handoff) {
        this.os = os;
        this.control = control;
        this.groupIndex = groupIndex;
        this.id = id;
        this.handoff = handoff;
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("drover-loop"), EpollIoHandler.newFactory());
    }

    static void install(WorkerRuntime runtime) {
        current = runtime;
    }

    /** The runtime of this worker process. */
    public static WorkerRuntime current() {
        WorkerRuntime runtime = current;
        if (runtime == null) {
            throw new IllegalStateException("not in a drover worker process");
        }
        return runtime;
    }

    public int groupIndex() {
        return groupIndex;
    }

    public int id() {
        return id;
    }

    /** Runs {@code worker}'s group in this process until it stops; returns the exit status. */
    public int run(Worker worker) {
        for (String signal : STOP_SIGNALS) {
            Signal.handle(new Signal(signal), s -> stop());
        }
        new ControlReader(os, control.fd(), handoff.rest(), this::onControl, this::stop).start();
        loop.execute(() -> start(worker));
        loop.terminationFuture().syncUninterruptibly();
        return 0;
    }

    private void start(Worker worker) {
        try {
            if (worker.getOnWorkerStart() != null) {
                worker.getOnWorkerStart().call(worker);
            }
        } catch (Throwable e) {
            Fatal.exit(control, "exception in onWorkerStart of worker " + worker.getName(), e, Fatal.STATUS);
        }
        List<ChannelFuture> registered = new ArrayList<>();
        if (worker.getListenAddress() != null) {
            int[] fds = handoff.listenFds();
            registered.add(serve(worker, fds.length > 0 ? fds[0] : bind(worker)));
        }
        whenAll(registered, () -> loop.execute(control::ready));
    }

    private static void whenAll(List<ChannelFuture> futures, Runnable then) {
        if (futures.isEmpty()) {
            then.run();
            return;
        }
        int[] remaining = {futures.size()};
        futures.forEach(f -> f.addListener(done -> {
            if (--remaining[0] == 0) {
                then.run();
            }
        }));
    }

    /** {@code Worker.listen()}: bind the Worker's address in this process and serve it here. */
    public void listen(Worker worker) {
        serve(worker, bind(worker));
    }

    private int bind(Worker worker) {
        return os.listenTcp(worker.getListenAddress().socketAddress(), worker.isReusePort(), Listeners.BACKLOG);
    }

    private ChannelFuture serve(Worker worker, int fd) {
        Protocol protocol = Protocol.of(worker.getListenAddress().protocol());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channelFactory(() -> new EpollServerSocketChannel(fd))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        protocol.install(channel.pipeline());
                        channel.pipeline().addLast(new ConnectionHandler(WorkerRuntime.this, worker, protocol));
                    }
                });
        ChannelFuture future = bootstrap.register();
        servers.add(future.channel());
        return future;
    }

    // ---- connections ----

    long nextConnectionId() {
        return ++lastConnectionId;
    }

    void opened(Worker worker, Connection connection) {
        connections.computeIfAbsent(worker, w -> new LinkedHashMap<>()).put(connection.getId(), connection);
    }

    void closed(Worker worker, Connection connection) {
        Map<Long, Connection> open = connections.get(worker);
        if (open != null) {
            open.remove(connection.getId());
        }
    }

    /** This process's open connections of {@code worker}. */
    public Map<Long, Connection> connectionsOf(Worker worker) {
        return Collections.unmodifiableMap(connections.getOrDefault(worker, Map.of()));
    }

    /** An exception escaped a callback: log it and end the worker with status 250, as Workerman. */
    void callbackFailed(String callback, Worker worker, Throwable error) {
        Fatal.exit(control, "exception in " + callback + " of worker " + worker.getName(), error, Fatal.STATUS);
    }

    // ---- control ----

    private void onControl(ControlMessage message) {
        if (ControlMessage.STOP.equals(message.type())) {
            stop();
        } else {
            control.log("worker " + id + " got an unknown control message: " + message.type());
        }
    }

    /** Closes the listeners and every connection, then ends the event loop. */
    private void stop() {
        loop.execute(() -> {
            if (stopping) {
                return;
            }
            stopping = true;
            servers.forEach(Channel::close);
            for (Map<Long, Connection> open : connections.values()) {
                List.copyOf(open.values()).forEach(Connection::close);
            }
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        });
    }
}
