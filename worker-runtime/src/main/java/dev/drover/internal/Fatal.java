package dev.drover.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Ends a worker that cannot go on: logs the stack trace through the master, then exits. */
final class Fatal {
    /** Workerman's exit status for an exception that escaped a callback. */
    static final int STATUS = 250;

    private Fatal() {}

    static void exit(ControlClient control, String what, Throwable error, int status) {
        try {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            control.log("worker pid " + ProcessHandle.current().pid() + ": " + what + ": " + trace.toString().stripTrailing());
            control.fail(what + ": " + trace.toString().stripTrailing()); // start -d prints it: the operator sees the cause at once
        } catch (RuntimeException masterGone) {
            error.printStackTrace();
        } finally {
            System.out.flush();
            System.err.flush();
            control.channel().shutdownInput(); // as WorkerRuntime.run: halt too waits up to 300 ms for the reader's native read
            Runtime.getRuntime().halt(status);
        }
    }
}
