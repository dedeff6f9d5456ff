package dev.drover;

/** A {@link GlobalData} command failed: its server unreachable, no answer in time, or refused (e.g. incrementing a non-integer). */
public final class GlobalDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GlobalDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
