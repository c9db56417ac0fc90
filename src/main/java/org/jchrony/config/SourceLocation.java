package org.jchrony.config;

import java.util.Objects;

/**
 * Where a directive came from: a file name (or a pseudo name such as {@code "command line"})
 * and a 1-based line number. Printed as {@code FILE:LINE}.
 */
public record SourceLocation(String file, int line) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
