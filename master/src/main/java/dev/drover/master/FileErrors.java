package dev.drover.master;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, as the system says it. Java's file exceptions carry the file's name
 * as their message and often no reason ("cannot open log file F: F"), where the operator needs
 * "Permission denied".
 */
final class FileErrors {
    private FileErrors() {}

    static String why(Exception e) {
        if (e instanceof UncheckedIOException unchecked) {
            return why(unchecked.getCause());
        }
        if (e instanceof FileSystemException failed && failed.getReason() != null) {
            return failed.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return String.valueOf(e.getMessage());
    }
}
