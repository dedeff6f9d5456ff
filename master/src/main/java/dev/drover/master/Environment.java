package dev.drover.master;

/**
 * The environment variables that tell a re-executed application JVM what it is. The worker's
 * control socket is always fd 3; so is the report socket of a daemon being started.
 */
public final class Environment {
    private Environment() {}

    public static final String ROLE = "DROVER_ROLE";
    public static final String ROLE_WORKER = "worker";
    public static final String ROLE_DAEMON = "daemon";
    /** A master started by the running one on {@code restart}, to take over its sockets. */
    public static final String ROLE_SUCCESSOR = "successor";
    /**
     * Set to {@link #REPORT_STDOUT} for a daemon the CLI started without a native library
     * ({@link DaemonStart}): its report goes to stdout, and it starts its own session.
     */
    public static final String REPORT = "DROVER_REPORT";
    public static final String REPORT_STDOUT = "stdout";
    /** The worker's group index, in the order the application created its Workers. */
    public static final String GROUP = "DROVER_GROUP";
    public static final String WORKER_ID = "DROVER_WORKER_ID";
    public static final String USER = "DROVER_USER";
    public static final String USER_GROUP = "DROVER_USER_GROUP";
    /** The master's stopTimeout in milliseconds: how long a worker may take to stop, even without its master. */
    public static final String STOP_TIMEOUT_MILLIS = "DROVER_STOP_TIMEOUT_MS";
    /** How often a worker's event loop sends the master a heartbeat, in milliseconds; absent: never. */
    public static final String HEARTBEAT_MILLIS = "DROVER_HEARTBEAT_MS";
    /** The messages a worker serves before it asks to be replaced (its maxRequests with its jitter); absent: no limit. */
    public static final String MAX_REQUESTS = "DROVER_MAX_REQUESTS";
    /**
     * Set in the worker that records the class list its command's archive is dumped from: it has one
     * exchange in its protocol with itself before it is ready, so the archive holds what a first
     * request loads.
     */
    public static final String RECORDING = "DROVER_RECORDING";
    /**
     * Set by a master that keeps a copy of the listening sockets its workers bind themselves
     * (listen() without reusePort): a worker lends them over its control channel as it gets ready,
     * and the master hands them to the slot's next worker (a respawn, a reload's replacement, a
     * restart's new worker). Its value is the master's pid, which the worker checks against its
     * parent's. A worker of an older master does not lend.
     */
    public static final String HOLDS_OWN = "DROVER_HOLDS_OWN";
    /** What {@code ps} shows for a worker: {@code drover: worker <name> <listen>}. */
    public static final String TITLE = "DROVER_TITLE";
    /** The fd of the control socket in a worker and of the report socket in a starting daemon. */
    public static final int CHANNEL_FD = 3;
    /** HotSpot frees SIGUSR2 for us when this is set (see PITFALLS). */
    public static final String SR_SIGNUM = "_JAVA_SR_SIGNUM";

    /** This JVM's role, or null for the CLI / foreground master. */
    public static String role() {
        return System.getenv(ROLE);
    }
}
