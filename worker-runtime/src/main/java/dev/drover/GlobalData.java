package dev.drover;

import dev.drover.internal.Causes;
import dev.drover.internal.WorkerRuntime;
import dev.drover.internal.channel.ChannelClient;
import dev.drover.internal.channel.ServerAddress;
import dev.drover.internal.channel.Store;
import dev.drover.internal.channel.StoreOp;
import dev.drover.internal.channel.Stores;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Workerman's {@code GlobalData\Client}: string values shared by every worker process, each
 * command atomic on the server. The address picks the backend: {@code host:port} for a
 * {@link ChannelServer} or {@link GlobalDataServer}, {@code redis://host:port[/db]} for Redis
 * (keys as given, no prefix). Each command has a blocking form, as in Workerman (it waits up to
 * the timeout, 5 s by default), and an {@code Async} form whose future completes on the worker's
 * event loop: chain on it ({@code thenAccept}), never {@code get()} or {@code join()} it in a
 * callback, which would wait for the very loop it blocks; it fails after the same timeout. Failures
 * are {@link GlobalDataException}s that name the address and the command. A command in flight when
 * its connection breaks fails; it is never sent twice. A command that times out while the embedded
 * server answered nothing at all closes that connection (the next command connects again), so that
 * a half-open one does not time out every command after it; a slow server keeps its connection,
 * and so does a command sent behind one still within its own timeout.
 */
public final class GlobalData {
    private final ServerAddress address;
    private Duration timeout = Duration.ofSeconds(5);

    /**
     * Values at {@code address}. In a worker process, a Redis client is set up at once on a thread
     * of its own, and the worker accepts once it is connected (made in main() or onWorkerStart), so
     * that no command waits for it on the event loop; the embedded server is connected to on the
     * first command.
     *
     * @throws IllegalStateException for a {@code redis://} address when Lettuce is not on the class path
     */
    public GlobalData(String address) {
        this.address = ServerAddress.parse(address);
        this.address.requireLettuce();
        Stores.prepare(this.address);
    }

    /** {@code new GlobalData(address)}, named like {@link Channel#connect(String)}. */
    public static GlobalData connect(String address) {
        return new GlobalData(address);
    }

    /** How long a command waits for its answer (default 5 s). */
    public GlobalData setTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        return await(StoreOp.GET, key);
    }

    /** Sets {@code key} to {@code value}. */
    public void set(String key, String value) {
        await(StoreOp.SET, key, Objects.requireNonNull(value, "value (delete removes a key)"));
    }

    /** Sets {@code key} to the decimal {@code value} (what {@link #increment} counts from). */
    public void set(String key, long value) {
        set(key, Long.toString(value));
    }

    /** Sets {@code key} only if it has no value; true if it was set. */
    public boolean add(String key, String value) {
        return await(StoreOp.ADD, key, Objects.requireNonNull(value, "value")) != null;
    }

    /** Adds one to the integer at {@code key} (none counts as 0) and returns the new value. */
    public long increment(String key) {
        return increment(key, 1);
    }

    /** Adds {@code step} to the integer at {@code key} (none counts as 0) and returns the new value. */
    public long increment(String key, long step) {
        return Long.parseLong(await(StoreOp.INCREMENT, key, Long.toString(step)));
    }

    /** Sets {@code key} to {@code value} only if it holds {@code expected} (null: no value); true if it was set. */
    public boolean cas(String key, String expected, String value) {
        return await(StoreOp.CAS, key, expected, Objects.requireNonNull(value, "value")) != null;
    }

    /** {@link #cas}, under the name Java's atomics use. */
    public boolean compareAndSet(String key, String expected, String value) {
        return cas(key, expected, value);
    }

    /** Removes {@code key}; true if it had a value. */
    public boolean delete(String key) {
        return await(StoreOp.DELETE, key) != null;
    }

    /** {@link #get}, answered on the event loop. */
    public CompletableFuture<String> getAsync(String key) {
        return async(StoreOp.GET, Function.identity(), key);
    }

    /** {@link #set}, answered on the event loop. */
    public CompletableFuture<Void> setAsync(String key, String value) {
        return async(StoreOp.SET, ok -> null, key, Objects.requireNonNull(value, "value (delete removes a key)"));
    }

    /** {@link #add}, answered on the event loop. */
    public CompletableFuture<Boolean> addAsync(String key, String value) {
        return async(StoreOp.ADD, Objects::nonNull, key, Objects.requireNonNull(value, "value"));
    }

    /** {@link #increment(String, long)}, answered on the event loop. */
    public CompletableFuture<Long> incrementAsync(String key, long step) {
        return async(StoreOp.INCREMENT, Long::valueOf, key, Long.toString(step));
    }

    /** {@link #cas}, answered on the event loop. */
    public CompletableFuture<Boolean> casAsync(String key, String expected, String value) {
        return async(StoreOp.CAS, Objects::nonNull, key, expected, Objects.requireNonNull(value, "value"));
    }

    /** {@link #delete}, answered on the event loop. */
    public CompletableFuture<Boolean> deleteAsync(String key) {
        return async(StoreOp.DELETE, Objects::nonNull, key);
    }

    /** The backend's answer, completed on the backend's own thread. */
    private CompletableFuture<String> send(StoreOp op, String key, String... rest) {
        Objects.requireNonNull(key, "key");
        String[] arguments = new String[rest.length + 1];
        arguments[0] = key;
        System.arraycopy(rest, 0, arguments, 1, rest.length);
        if (!address.redis() && ChannelClient.overMaxData(arguments)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("it carries more than the "
                    + (ChannelClient.MAX_DATA_BYTES >> 20) + " MiB a command to the embedded server may carry"));
        }
        Store store;
        CompletableFuture<String> reply;
        try {
            store = Stores.of(address);
            reply = store.call(op, Arrays.asList(arguments));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        long waited = timeout.toNanos();
        reply.orTimeout(waited, TimeUnit.NANOSECONDS).whenComplete((value, failure) -> {
            if (failure instanceof TimeoutException) {
                store.gaveUp(reply, waited);
            }
        });
        return reply;
    }

    private <T> CompletableFuture<T> async(StoreOp op, Function<String, T> answer, String key, String... rest) {
        CompletableFuture<T> result = new CompletableFuture<>();
        java.util.concurrent.Executor loop = eventLoop();
        send(op, key, rest).whenComplete((value, failure) -> loop.execute(() -> {
            if (failure != null) {
                result.completeExceptionally(failed(op, key, failure));
            } else {
                result.complete(answer.apply(value));
            }
        }));
        return result;
    }

    /** Where async answers are delivered: the worker's event loop, or the answering thread outside a worker. */
    private static java.util.concurrent.Executor eventLoop() {
        try {
            return WorkerRuntime.current().loop();
        } catch (IllegalStateException notAWorker) {
            return Runnable::run;
        }
    }

    /** Waits on the backend's own thread's answer: the event loop may block here without needing itself. */
    private String await(StoreOp op, String key, String... rest) {
        try {
            // bounded by the timeout send put on it; the second bound holds if the JDK's timeout thread were held up
            return send(op, key, rest).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failed(op, key, e);
        } catch (ExecutionException e) {
            throw failed(op, key, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlobalDataException("GlobalData " + address + ": interrupted waiting for " + label(op, key), e);
        }
    }

    private static String label(StoreOp op, String key) {
        return op.name().toLowerCase(java.util.Locale.ROOT) + " '" + key + "'";
    }

    private GlobalDataException failed(StoreOp op, String key, Throwable cause) {
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new GlobalDataException("GlobalData " + address + ": no answer to " + label(op, key) + " within "
                    + timeout.toMillis() + " ms", cause);
        }
        return new GlobalDataException("GlobalData " + address + ": " + label(op, key) + " failed: " + Causes.why(cause), cause);
    }
}
