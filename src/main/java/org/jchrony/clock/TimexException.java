package org.jchrony.clock;

/**
 * A kernel clock call failed. The message names the call, the errno and what to do about the
 * usual one: EPERM means the process lacks CAP_SYS_TIME (run as root, give the service
 * {@code AmbientCapabilities=CAP_SYS_TIME}, or start jchronyd with {@code -x}).
 */
public final class TimexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** errno of EPERM on Linux. */
    public static final int EPERM = 1;
    /** errno of EINVAL on Linux. */
    public static final int EINVAL = 22;

    private final int errno;

    public TimexException(String call, int errno) {
        this(call, errno, false);
    }

    /**
     * @param readOnly the request changed nothing (modes 0): EPERM then comes from a seccomp
     *     filter (systemd-nspawn blocks clock calls in containers without CAP_SYS_TIME), not
     *     from a missing capability
     */
    public TimexException(String call, int errno, boolean readOnly) {
        super(readOnly && errno == EPERM
                ? call + " failed: EPERM (Operation not permitted) even though it only reads: a seccomp "
                        + "filter forbids clock calls here (a container without CAP_SYS_TIME?); "
                        + "start jchronyd with -x"
                : message(call, errno));
        this.errno = errno;
    }

    /** The errno the call failed with. */
    public int errno() {
        return errno;
    }

    /** True for EPERM: the process may not change the clock. */
    public boolean isPermissionDenied() {
        return errno == EPERM;
    }

    private static String message(String call, int errno) {
        return switch (errno) {
            case EPERM -> call + " failed: EPERM (Operation not permitted): jchronyd needs CAP_SYS_TIME to "
                    + "adjust the system clock; run it as root or with AmbientCapabilities=CAP_SYS_TIME, "
                    + "or start it with -x to leave the system clock alone";
            case EINVAL -> call + " failed: EINVAL (Invalid argument): the kernel rejected the value";
            default -> call + " failed: errno " + errno;
        };
    }
}
