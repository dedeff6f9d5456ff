package dev.drover.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file uploaded in a {@code multipart/form-data} body.
 *
 * @param field the form field's name
 * @param fileName the file name the client gave
 * @param contentType the part's content type
 * @param content the file's bytes
 */
public record UploadedFile(String field, String fileName, String contentType, byte[] content) {
    public long size() {
        return content.length;
    }

    /** Writes the content to {@code target} (replacing it) and returns it. */
    public Path saveTo(Path target) throws IOException {
        return Files.write(target, content);
    }
}
