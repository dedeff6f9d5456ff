package dev.drover.internal;

/**
 * A setting of the application that cannot work (a certificate file that is not there), found as a
 * worker starts: its message says what and what to do, so it is reported without a stack trace,
 * which only buried it.
 */
final class BadSetting extends IllegalStateException {
    BadSetting(String message) {
        super(message);
    }

    BadSetting(String message, Throwable cause) {
        super(message, cause);
    }
}
