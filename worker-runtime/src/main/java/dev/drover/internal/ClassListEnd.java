package dev.drover.internal;

/**
 * Loaded by the worker that records its command's class list, just before it says it is ready,
 * and by no other: the JVM writes a lambda's line ({@code @lambda-proxy}) to the list with the next
 * class's, so the lambdas a worker links after its last class load (serving its listeners, the
 * heartbeat) were missing from the list the master dumps at READY, and every worker started from
 * the archive spun them again. Loading this class writes them out.
 */
final class ClassListEnd {
    private ClassListEnd() {}

    /** Loads this class: the list is complete up to here. */
    static void mark() {
        // nothing: loading the class was the point
    }
}
