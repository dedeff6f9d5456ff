package dev.drover.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A text file a process under test writes, read while it may not exist yet. */
final class TextFile {
    private TextFile() {}

    /** The file's text, or "" while it does not exist or cannot be read. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
