package org.jchrony.net;

import java.io.IOException;

/** A failed system call, with the errno the linker captured. */
public class ErrnoException extends IOException {
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + " failed: " + Libc.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
