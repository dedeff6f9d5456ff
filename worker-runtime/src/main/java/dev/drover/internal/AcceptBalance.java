package dev.drover.internal;

import dev.drover.master.Listeners;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How the workers of a group that share one listening socket spread a burst of connections evenly.
 *
 * <p>Every worker of the group is woken for a new connection, and each accepts up to
 * {@link AcceptBatch#SIZE} per wake-up: when 1,000 clients connect at once, whichever worker is
 * awake first takes batch after batch, and a split of 330 / 670 stays for the connections' whole
 * life (with {@code wrk -c1000} the larger worker's share ranged 0.51-0.68 from round to round,
 * and its p99 latency with it, 8.5 ms at an even split, 11-17 ms past 0.6). Here each worker
 * publishes its open connections and when its acceptor last ran in its slot of the group's balance
 * page (a memory file the master shares among the group's workers), and a worker holding more than
 * {@link #SLACK} connections above a sibling that is taking connections too stops accepting (see
 * {@link #yielded}) until the sibling caught up. "Taking" means its acceptor ran in the last
 * {@link #LIVE_NANOS}: a sibling woken for the queue runs its acceptor every loop turn, and one
 * that does not (stopped, hung, gone, or a cold JVM whose turns are slow) is not waited for. With
 * 100 ms instead of 20, workers just started under a 1,000-connection burst answered with a p99 of
 * 146-279 ms in their first 8 s against 44-100 without the balance (79-135 against 51-88 with 20);
 * with 5, a sibling merely waiting for a core on two busy ones was passed over and splits at
 * {@code wrk -c1000} ranged to 0.61 again.
 *
 * <p>Each slot is written by its worker only, with plain accesses of aligned ints and longs (single
 * loads and stores on x86_64 and arm64): a sibling reads a count a few microseconds old at worst,
 * which moves a decision by a connection or two. The page has room for more workers than the group
 * was started with (see {@link Listeners#balanceBytes}), so workers {@code scale} adds take turns
 * too; its header holds how many slots workers have claimed, raised with a compare-and-set as each
 * maps the page, and a worker looks at those slots only.
 */
final class AcceptBalance {
    /**
     * How many connections a worker may hold above a taking sibling before it stops accepting. With
     * 8, 64 connections opened at once split up to 28 / 36 and the p99 at {@code wrk -c64} followed:
     * with 2, 31 / 33 at worst, and p99 lower in 9 of 12 alternating rounds (medians 4.54 / 4.49 ms
     * against 4.75 / 4.86; nginx 4.66 / 5.30), the same at 1,000 connections and with a connection
     * per request. (With 1, when a stopped worker asked again every millisecond, bursts of 1,000 were
     * paced by the asking: p99 40-286 ms.)
     */
    static final int SLACK = 2;
    /** A sibling whose acceptor has not run for this long is not waited for. */
    static final long LIVE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * How often a worker that left connections to a sibling asks whether it may accept again. Two
     * workers sharing a burst take turns (each stops {@link #SLACK} ahead of the other), and until
     * the one that stopped asks again, the connections wait for the other alone (measured with a
     * slack of 8): with 1 ms, clients opening a connection per request ({@code wrk -c64 -H
     * 'Connection: close'}) got 15,800 requests/s against 26,100 with 100 us (50 us: 25,900; no
     * balance: 27,000-28,400; nginx 30,800), and 1,000 connections opened at once waited in the queue
     * for 82-91 ms against 51-60.
     */
    static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** The header's int: how many worker slots follow it that a worker has claimed. */
    private static final int CLAIMED = 0;
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int COUNT = 0;
    private static final int AWAKE = 8;
    /** A slot's count while its worker is not accepting (left, or never started). */
    private static final int ABSENT = -1;

    /** This worker's id, and the offset of its slot in the page. */
    private final int id;
    private final int mine;
    private final LongSupplier clock;
    /** The page's file until its first use maps it (an idle worker never does); then null. */
    private FileChannel file;
    private ByteBuffer page;
    private int open;
    private boolean left;
    private boolean yielding;
    /** When this worker's acceptor last ran or asked to resume ({@code engaged}: ever). */
    private long lastActive;
    private boolean engaged;
    /** When its acceptor began taking the connections now arriving: see {@link #taking}. */
    private long burstStart;

    /** @param page a direct buffer: the header, then {@link Listeners#BALANCE_SLOT_BYTES} per worker; {@code id} is this worker's */
    AcceptBalance(ByteBuffer page, int id) {
        this(page, id, null);
    }

    /** @param clock in place of {@code System.nanoTime()} (the same clock in every process of a machine), for tests */
    AcceptBalance(ByteBuffer page, int id, LongSupplier clock) {
        this.clock = clock;
        this.id = id;
        this.mine = (id + 1) * Listeners.BALANCE_SLOT_BYTES;
        if (page != null) {
            checkSlot(page.capacity());
            use(page);
        }
    }

    private AcceptBalance(int id, FileChannel file) throws IOException {
        this(null, id, null);
        checkSlot(file.size());
        this.file = file;
    }

    private void checkSlot(long pageBytes) {
        if (mine + Listeners.BALANCE_SLOT_BYTES > pageBytes) {
            throw new IllegalArgumentException("no slot for worker " + id + " in a balance page of " + pageBytes + " bytes (room for "
                    + (pageBytes / Listeners.BALANCE_SLOT_BYTES - 1) + " workers)");
        }
    }

    /** Takes the page and claims this worker's slot in its header, so its siblings look at it. */
    private void use(ByteBuffer mapped) {
        page = mapped.order(ByteOrder.nativeOrder());
        int claimed = (int) INTS.getVolatile(page, CLAIMED);
        while (claimed <= id && !INTS.compareAndSet(page, CLAIMED, claimed, id + 1)) {
            claimed = (int) INTS.getVolatile(page, CLAIMED);
        }
    }

    /** The balance of a listener without siblings on its socket (each its own): it takes every batch whole. */
    static AcceptBalance none() {
        return new AcceptBalance(null, 0);
    }

    /**
     * Opens the page the master handed over as {@code fd} (closed here) for worker {@code id}, while
     * the worker may still open {@code /proc/self/fd} (before a switch of user); it is mapped when
     * this worker's acceptor first runs, so an idle worker maps nothing.
     */
    static AcceptBalance open(int fd, int id) {
        Epoll.ensureAvailability(); // its library closes the descriptor
        FileChannel file = null;
        try {
            file = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new AcceptBalance(id, file);
        } catch (IOException e) {
            closeQuietly(file);
            throw new UncheckedIOException("cannot open the group's balance page (fd " + fd + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        } finally {
            try {
                new FileDescriptor(fd).close();
            } catch (IOException ignored) {
                // opened or not, the descriptor is of no further use
            }
        }
    }

    /**
     * This worker's acceptor runs: it is taking connections, and its slot holds its count (from its
     * first run on, whatever a predecessor left there).
     */
    void awake() {
        if (left) {
            return;
        }
        if (file != null) {
            mapNow();
        }
        if (page != null) {
            long now = now();
            if (!engaged || now - lastActive >= LIVE_NANOS) {
                burstStart = now;
            }
            engaged = true;
            lastActive = now;
            page.putLong(mine + AWAKE, now);
            publish(open);
        }
    }

    /** The first acceptor run: a page that cannot be mapped (out of memory) leaves this worker taking batches whole. */
    private void mapNow() {
        try {
            use(file.map(FileChannel.MapMode.READ_WRITE, 0, file.size()));
        } catch (IOException | RuntimeException e) {
            page = null;
        } finally {
            closeQuietly(file);
            file = null;
        }
    }

    private static void closeQuietly(FileChannel file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // a mapping outlives its file; nothing else holds it
            }
        }
    }

    void opened() {
        open++;
        publish(open);
    }

    void closed() {
        open--;
        publish(open);
    }

    /** This worker closed its listener: its slot is free for its replacement, and no sibling waits for it. */
    void leave() {
        publish(ABSENT);
        left = true;
    }

    /** Whether this worker should accept another connection in this wake-up. */
    boolean mayTakeMore() {
        if (aheadOfATakingSibling()) {
            yielding = true;
            return false;
        }
        return true;
    }

    /**
     * Whether this wake-up left connections to a sibling (and forgets it): the acceptor then stops
     * until {@link #mayResume}. Stopping at the batch alone is not enough: on two busy cores the
     * sibling may not run for milliseconds while this worker's loop comes back to the socket every
     * few microseconds, and a worker woken for each new connection takes one each time.
     */
    boolean yielded() {
        boolean yielded = yielding;
        yielding = false;
        return yielded;
    }

    /** Whether a worker that yielded accepts again: its sibling caught up, or stopped taking connections. */
    boolean mayResume() {
        lastActive = now(); // still the same burst
        return !aheadOfATakingSibling();
    }

    /** More than {@link #SLACK} connections above a sibling that is {@link #taking} connections. */
    private boolean aheadOfATakingSibling() {
        if (page == null) {
            return false;
        }
        long now = now();
        long end = Math.min(page.capacity(), (1L + page.getInt(CLAIMED)) * Listeners.BALANCE_SLOT_BYTES);
        for (int slot = Listeners.BALANCE_SLOT_BYTES; slot < end; slot += Listeners.BALANCE_SLOT_BYTES) {
            if (slot == mine) {
                continue;
            }
            int theirs = page.getInt(slot + COUNT);
            if (theirs != ABSENT && theirs < open - SLACK && taking(page.getLong(slot + AWAKE), now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a sibling whose acceptor last ran at {@code awake} (0: never; the page starts zeroed)
     * takes connections: it ran in the last {@link #LIVE_NANOS}, or this burst began less than that
     * ago. Idle workers' acceptors do not run, and every worker on the socket is woken for a burst:
     * a sibling idle until now gets the same time to show up as one that stops mid-burst. (Without
     * it, whichever worker ran first took connections until its sibling's first turn: the mechanism
     * that fits AcceptBalanceIT's failures in CI, where the worker holding fewer took only 21 of a
     * burst of 40.)
     */
    private boolean taking(long awake, long now) {
        return awake != 0 && now - Math.max(awake, burstStart) < LIVE_NANOS;
    }

    private long now() {
        return clock == null ? System.nanoTime() : clock.getAsLong();
    }

    private void publish(int count) {
        if (page != null && !left) {
            page.putInt(mine + COUNT, count);
        }
    }
}
