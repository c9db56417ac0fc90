package org.jchrony.config;

import java.util.Optional;

/**
 * A configuration error that stops the daemon, as chronyd's fatal configuration errors do.
 * The message is exactly {@code FILE:LINE: what is wrong}, or {@code FILE: what is wrong}
 * when no line applies (the top-level file cannot be read).
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String detail;

    public ConfigException(SourceLocation location, String detail) {
        super(location + ": " + detail);
        this.file = location.file();
        this.line = location.line();
        this.detail = detail;
    }

    /** An error about a whole file (no line), e.g. the file cannot be opened. */
    public ConfigException(String file, String detail) {
        super(file + ": " + detail);
        this.file = file;
        this.line = 0;
        this.detail = detail;
    }

    public String file() {
        return file;
    }

    /** The 1-based line, or empty when the error concerns a whole file. */
    public Optional<SourceLocation> location() {
        return line > 0 ? Optional.of(new SourceLocation(file, line)) : Optional.empty();
    }

    /** The "what is wrong" part, without the location prefix. */
    public String detail() {
        return detail;
    }
}
