package dev.drover.http;

import java.nio.charset.StandardCharsets;

/**
 * One piece of a chunked response: send {@code new Response(200).header("Transfer-Encoding",
 * "chunked")} first, then chunks; an empty chunk ends the response.
 */
public record Chunk(byte[] data) {
    public Chunk(String text) {
        this(text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isLast() {
        return data.length == 0;
    }
}
