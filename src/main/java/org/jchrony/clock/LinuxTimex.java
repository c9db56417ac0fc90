package org.jchrony.clock;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The real {@link TimexKernel}: glibc's {@code clock_adjtime(CLOCK_REALTIME, struct timex *)},
 * {@code clock_gettime(CLOCK_REALTIME, struct timespec *)} and {@code sysconf(_SC_CLK_TCK)}
 * called through FFM ({@code java.lang.foreign}), errno captured with the call. No JNI, no JNA.
 *
 * <p>A request with modes 0 only reads. Any other request needs CAP_SYS_TIME; without it the
 * call fails with EPERM, reported as {@link TimexException}. Thread-safe.
 */
@SuppressWarnings("restricted") // FFM downcalls: the jar enables native access (Enable-Native-Access)
public final class LinuxTimex implements TimexKernel {

    private static final int CLOCK_REALTIME = 0;
    private static final int SC_CLK_TCK = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle CLOCK_ADJTIME = LINKER.downcallHandle(
            LIBC.find("clock_adjtime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(
            LIBC.find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.critical(true));
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(
            LIBC.find("sysconf").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    /** One 16-byte struct timespec per thread, so reading the clock allocates nothing. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    private final int userHz;

    public LinuxTimex() {
        this.userHz = querySysconfClockTicks();
    }

    @Override
    public Result adjust(Timex request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Timex.SIZE, 8);
            MemorySegment state = arena.allocate(CAPTURE);
            request.encode(buf);
            int ret = (int) CLOCK_ADJTIME.invokeExact(state, CLOCK_REALTIME, buf);
            if (ret < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new TimexException("clock_adjtime(CLOCK_REALTIME, modes=0x"
                        + Integer.toHexString(request.modes()) + ")", errno, request.modes() == 0);
            }
            return new Result(ret, Timex.decode(buf));
        } catch (TimexException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clock_adjtime downcall failed", t);
        }
    }

    @Override
    public long realtimeNanos() {
        MemorySegment ts = TIMESPEC.get();
        int ret;
        try {
            ret = (int) CLOCK_GETTIME.invokeExact(CLOCK_REALTIME, ts);
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime downcall failed", t);
        }
        if (ret != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_REALTIME) failed");
        }
        return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
    }

    @Override
    public int userHz() {
        return userHz;
    }

    private static int querySysconfClockTicks() {
        try {
            long hz = (long) SYSCONF.invokeExact(SC_CLK_TCK);
            return hz > 0 ? (int) hz : 100;
        } catch (Throwable t) {
            throw new IllegalStateException("sysconf downcall failed", t);
        }
    }
}
