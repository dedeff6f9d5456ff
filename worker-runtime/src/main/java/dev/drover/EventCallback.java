package dev.drover;

/** {@code Channel.on}: an event was published; {@code data} is what was published. It may throw any exception. */
@FunctionalInterface
public interface EventCallback {
    void call(String data) throws Exception;
}
