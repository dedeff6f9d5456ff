package dev.drover.internal;

/**
 * What a failure says, with its root cause: a TLS file Netty cannot read, a backend Lettuce cannot
 * reach. Lettuce's "Unable to connect to 127.0.0.1/&lt;unresolved&gt;:6379" leaves out why, which
 * its root cause has, worded here as {@link Dialer#reason} ("Connection refused (111): nothing
 * listens there").
 */
public final class Causes {
    private Causes() {}

    /** What {@code failure} says, and then what its root cause says, unless it says that already. */
    public static String why(Throwable failure) {
        Throwable root = root(failure);
        String top = String.valueOf(failure.getMessage());
        return root == failure || root.getMessage() == null || top.contains(root.getMessage()) ? top : top + ": " + Dialer.reason(root);
    }

    /** What {@code failure}'s root cause says. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        return root.getMessage() == null ? root.getClass().getSimpleName() : Dialer.reason(root);
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
