package dev.drover.internal;

import java.util.Set;

/**
 * A bad argument to drover's API that escapes the application's {@code main} (a malformed listen
 * address, a count of 0) is printed as one line: the message, which names the value and what to
 * write instead, and the application's line that passed it. Java would print drover's stack trace
 * around it. Anything else escaping {@code main} is printed as Java prints it.
 */
public final class MainErrors implements Thread.UncaughtExceptionHandler {
    /** The packages of drover's own classes; an application's, even under dev.drover, is none of them. */
    private static final Set<String> DROVER = Set.of("dev.drover", "dev.drover.http", "dev.drover.protocols", "dev.drover.internal",
            "dev.drover.internal.channel", "dev.drover.master", "dev.drover.master.os");

    private MainErrors() {}

    /** Takes over the main thread's uncaught exceptions, when called on it, unless the application set a handler of its own. */
    public static void install() {
        Thread thread = Thread.currentThread();
        if (thread.getName().equals("main") && thread.getUncaughtExceptionHandler() == thread.getThreadGroup()) {
            thread.setUncaughtExceptionHandler(new MainErrors());
        }
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        String line = oneLine(error);
        if (line == null) {
            thread.getThreadGroup().uncaughtException(thread, error);
        } else {
            System.err.println(line);
        }
    }

    /** {@code error} as one line, or null when it is not a bad argument that drover refused from an application's call. */
    static String oneLine(Throwable error) {
        StackTraceElement[] trace = error.getStackTrace();
        if (!(error instanceof IllegalArgumentException) || trace.length == 0 || !ours(trace[0])) {
            return null;
        }
        for (StackTraceElement frame : trace) {
            if (!ours(frame)) {
                return "drover: " + error.getMessage() + " (at " + frame + ")";
            }
        }
        return null;
    }

    private static boolean ours(StackTraceElement frame) {
        String name = frame.getClassName();
        int dot = name.lastIndexOf('.');
        return dot > 0 && DROVER.contains(name.substring(0, dot));
    }
}
