package dev.drover.master;

import java.nio.charset.StandardCharsets;

/**
 * One message on a worker's control channel (the socketpair between master and worker).
 *
 * <h2>Wire format</h2>
 * Each message is one line of UTF-8: a lower-case type, optionally a space and an argument, and
 * {@code \n}. In the argument a backslash is written {@code \\} and a newline {@code \n}, so a
 * message never spans lines. Descriptors travel as {@code SCM_RIGHTS}, each on a one-byte message
 * of its own (its byte is not text), next to the line that names it: after it from the master,
 * just before it from a worker.
 *
 * <pre>
 * master → worker   listen N        first message; N listening sockets attached, in group order
 *                   listen N balance  the same, then the group's balance page (a memory file of
 *                                   Listeners.BALANCE_SLOT_BYTES per worker) attached
 *                   stop            close the listeners and connections, run onWorkerStop, exit 0
 *                   stop graceful   stop accepting; exit 0 once the last connection closed
 *                   stop graceful-last  the same, WebSockets kept too: no worker comes after it (stop -g)
 *                   listen N [balance] lent K  the same, then K times: the line lent KEY and a
 *                                   one-byte message with the listening socket of that socket key
 *                                   (ListenAddress.socketKey) attached, which a listen() of an
 *                                   address with that key takes instead of binding it; the worker
 *                                   closes those it has not taken once it is ready
 *                   retire MS       a reload or a restart replaces the worker: it answers draining
 *                                   and serves on, accepting on every listener (closing those it
 *                                   bound itself and did not lend: none, with DROVER_HOLDS_OWN),
 *                                   until a stop, which comes once
 *                                   the replacement is ready; then it tells the connections to end
 *                                   over MS milliseconds, 2 ms apart at most
 *                   resume          (a retired worker) the replacement failed: serve on as before; (a
 *                                   yielded one) the restart failed: accept again
 *                   yield           a restart's new master starts: a worker holding shared state (the
 *                                   embedded ChannelServer) stops accepting and serves its clients on,
 *                                   so the new master's workers reach the new server alone; others
 *                                   ignore it
 *                   reload          run onWorkerReload (a reloadable = false worker goes on; a reloadable one is retired next)
 *                   status          answer with a status message
 *                   connections     answer with a connections message
 * worker → master   ready           onWorkerStart returned and the worker accepts
 *                   log TEXT        a line for the log file (TEXT may hold escaped newlines)
 *                   fail TEXT       why the worker is about to exit abnormally
 *                   stopping        the worker exits on purpose (a signal sent to it directly)
 *                   draining        after a stop: it accepts no more connections; after a
 *                                   retire (and not again at its stop): its replacement may bind
 *                                   (a reload starts it now)
 *                   listener KEY    (with DROVER_HOLDS_OWN, just before ready, and at a listen() after
 *                                   it) a listening socket it bound itself, of socket key KEY,
 *                                   attached to the one-byte message just before this line (its
 *                                   byte is not part of the text): the master keeps a copy for the
 *                                   slot's next worker
 *                   status K=V ...  busy, connections, send_fail, timers, total_request
 *                   connections ROWS  one row per connection, rows split by newlines, fields by
 *                                   tabs: id, transport, protocol, local, remote, recv-q, send-q,
 *                                   bytes read, bytes written, state
 *                   beat            the event loop is alive: sent every heartbeat interval once ready
 *                                   (a ready worker silent for hangTimeout is killed and replaced)
 *                   recycle N       it served N messages, its maxRequests: the master replaces it
 *                                   gracefully, one worker at a time
 *                   command CMD     Worker.stopAll() / reloadAll(): the master runs CMD
 *                                   ({@code stop}, {@code stop -g}, {@code reload}, {@code reload -g})
 * </pre>
 * EOF on either side means the other side is gone: a worker exits at once.
 */
public record ControlMessage(String type, String argument) {
    public static final String LISTEN = "listen";
    public static final String STOP = "stop";
    public static final String READY = "ready";
    public static final String LOG = "log";
    public static final String FAIL = "fail";
    public static final String RELOAD = "reload";
    public static final String STATUS = "status";
    public static final String CONNECTIONS = "connections";
    public static final String STOPPING = "stopping";
    public static final String DRAINING = "draining";
    public static final String RETIRE = "retire";
    public static final String RESUME = "resume";
    public static final String YIELD = "yield";
    public static final String COMMAND = "command";
    public static final String BEAT = "beat";
    public static final String RECYCLE = "recycle";
    public static final String LISTENER = "listener";
    /** The word of {@code listen N ... lent K} and of each lent socket's line. */
    public static final String LENT = "lent";
    /** The word after {@code listen N} when the group's balance page follows the sockets. */
    public static final String BALANCE = "balance";
    /** The argument of {@code stop} that makes it graceful. */
    public static final String GRACEFUL = "graceful";
    /**
     * The argument of {@code stop} that makes it graceful with no worker after it (a {@code stop -g}
     * of the application, not a reload's or a restart's): its WebSocket clients are kept, as
     * Workerman keeps them, rather than sent to a live worker with 1001.
     */
    public static final String GRACEFUL_LAST = "graceful-last";

    public ControlMessage {
        if (type.isEmpty() || type.indexOf(' ') >= 0 || type.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("bad message type: '" + type + "'");
        }
    }

    public static ControlMessage of(String type) {
        return new ControlMessage(type, "");
    }

    public static ControlMessage of(String type, String argument) {
        return new ControlMessage(type, argument);
    }

    /**
     * Whether {@code line} has the shape of a message: a type of 1 to 32 lower-case letters, then
     * nothing or a space and an argument. An unknown type is well formed (a newer worker may send
     * one an older master does not know); garbage is not.
     */
    public static boolean wellFormed(String line) {
        int space = line.indexOf(' ');
        int typeEnd = space < 0 ? line.length() : space;
        if (typeEnd < 1 || typeEnd > 32) {
            return false;
        }
        for (int i = 0; i < typeEnd; i++) {
            if (line.charAt(i) < 'a' || line.charAt(i) > 'z') {
                return false;
            }
        }
        return true;
    }

    /** The message as it goes on the wire, newline included. */
    public byte[] encode() {
        String line = argument.isEmpty() ? type : type + " " + escape(argument);
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses one line without its newline. */
    public static ControlMessage decode(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? of(line) : of(line.substring(0, space), unescape(line.substring(space + 1)));
    }

    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
