package dev.drover.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A request head's text as sent. Netty's decoder reads each byte of a head as one char (ISO-8859-1),
 * so a raw {@code /café} in UTF-8 would reach the application as {@code /cafÃ©}: a target or value
 * whose bytes are valid UTF-8 is that text instead. Bytes that are not UTF-8 stay one char each, as
 * read, so nothing is lost. {@link PlainRequest} takes visible ASCII only, which needs neither.
 */
final class Utf8Text {
    private Utf8Text() {}

    /** {@code read} (one char per byte) as UTF-8 when its bytes are that, else as it is. */
    static String of(String read) {
        int i = 0;
        while (i < read.length() && read.charAt(i) < 0x80) {
            i++;
        }
        if (i == read.length()) {
            return read;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException notUtf8) {
            return read;
        }
    }
}
