package dev.drover.master;

import java.util.List;

/**
 * What the master needs to know of one {@code Worker} group: plain data, so the master never loads
 * the worker runtime.
 *
 * @param index the group's position in the order the application created its Workers
 * @param name the group's name ("none" by default, as Workerman)
 * @param count how many worker processes
 * @param listen the listen address, or null for a group that listens on nothing
 * @param reusePort whether each worker binds its own socket with SO_REUSEPORT
 * @param user the user the workers run as, or null
 * @param group the group the workers run as, or null
 * @param reloadable whether a reload replaces these workers (false: they run onWorkerReload and stay)
 * @param jvmOptions options for the worker JVMs, after the defaults and the master's own
 * @param limits when the master replaces a worker on its own (hung, maxRequests, maxMemory)
 * @param sharedState whether its workers hold what the others share (the embedded ChannelServer):
 *     a stop asks them last, once the others are gone, so that those reach them in onWorkerStop
 */
public record GroupSpec(int index, String name, int count, ListenAddress listen, boolean reusePort,
                        String user, String group, boolean reloadable, List<String> jvmOptions, WorkerLimits limits,
                        boolean sharedState) {
    public GroupSpec {
        if (count < 1) {
            throw new IllegalArgumentException("worker " + name + ": count must be at least 1, was " + count);
        }
        jvmOptions = List.copyOf(jvmOptions);
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /** {@code http://0.0.0.0:8080}, or {@code none} for a group without an address. */
    public String listenText() {
        return listen == null ? "none" : listen.toString();
    }

    /** Whether the master binds this group's socket and hands it to the workers. */
    public boolean masterBinds() {
        return listen != null && !reusePort;
    }
}
