package dev.drover.internal;

import dev.drover.master.IpText;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Host names of outgoing connections, looked up off the event loop: the system's resolver blocks
 * (5 s per try against a name server that does not answer), and on the loop it held every
 * connection and timer of the worker that long. An IP address needs no lookup and is given at once.
 */
final class Lookups {
    /** What a lookup gives: the address, or why there is none (then {@code address} is null). */
    @FunctionalInterface
    interface Done {
        void accept(InetSocketAddress address, Throwable failure);
    }

    /** The system's resolver, as the JDK gives it; a test gives a slow one. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /** Threads made on a worker's first lookup only, and ended after 30 s without one. */
    private static final ThreadPoolExecutor POOL = pool();

    private Lookups() {}

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "drover-lookup");
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Looks {@code host} up with the system's resolver; {@code done} runs on {@code loop}. */
    static void resolve(String host, int port, Executor loop, Done done) {
        resolve(host, port, loop, InetAddress::getByName, POOL, done);
    }

    static void resolve(String host, int port, Executor loop, Resolver resolver, Executor pool, Done done) {
        String bare = IpText.unbracketed(host); // URI's IPv6 form
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(bare);
        if (literal != null) {
            done.accept(new InetSocketAddress(literal, port), null);
            return;
        }
        pool.execute(() -> {
            InetSocketAddress address = null;
            Throwable failure = null;
            try {
                address = new InetSocketAddress(resolver.resolve(bare), port);
            } catch (UnknownHostException | RuntimeException e) {
                failure = e;
            }
            InetSocketAddress found = address;
            Throwable why = failure;
            try {
                loop.execute(() -> done.accept(found, why));
            } catch (RejectedExecutionException stopped) {
                // the worker's loop ended meanwhile: nobody waits for the answer
            }
        });
    }
}
