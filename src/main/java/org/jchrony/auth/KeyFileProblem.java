package org.jchrony.auth;

/**
 * A keyfile line chronyd would skip (with its log message), or a keyfile it could not open
 * ({@code line} 0). Never fatal: chronyd carries on with the keys it could read.
 */
public record KeyFileProblem(String file, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
