package org.jchrony.daemon;

/** A fatal error during start-up: logged as chronyd's "Fatal error : ..." and exit status 1. */
public final class DaemonException extends Exception {
    private static final long serialVersionUID = 1L;

    public DaemonException(String message) {
        super(message);
    }

    public DaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
