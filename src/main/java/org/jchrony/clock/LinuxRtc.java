package org.jchrony.clock;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Reads the hardware clock through FFM: {@code open(device, O_RDONLY)}, the {@code RTC_RD_TIME}
 * ioctl (read twice until both readings agree on the second, as chronyd does, so a tick between
 * them cannot tear the value), {@code close}. Used only by chronyd's {@code -s}. Any failure
 * (no device, not an RTC, no permission) gives an empty result.
 */
@SuppressWarnings("restricted") // FFM downcalls are the point of this class
public final class LinuxRtc {
    /** struct rtc_time: nine ints (tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year, ...). */
    private static final int RTC_TIME_SIZE = 9 * 4;
    /** _IOR('p', 0x09, struct rtc_time) on Linux. */
    private static final long RTC_RD_TIME = 0x80247009L;
    private static final int O_RDONLY = 0;

    /** What RTC_RD_TIME returns: struct tm fields (month 0-11, year since 1900). */
    public record RtcFields(int second, int minute, int hour, int dayOfMonth, int month0, int yearSince1900) {}

    private LinuxRtc() {}

    private static final class H {
        static final Linker L = Linker.nativeLinker();
        static final MethodHandle OPEN = L.downcallHandle(L.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle IOCTL = L.downcallHandle(L.defaultLookup().find("ioctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = L.downcallHandle(L.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** The RTC's time, or empty when {@code device} cannot be read as an RTC. */
    public static Optional<RtcFields> readTime(String device) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) H.OPEN.invokeExact(arena.allocateFrom(device), O_RDONLY);
            if (fd < 0) return Optional.empty();
            try {
                MemorySegment a = arena.allocate(RTC_TIME_SIZE, 4);
                MemorySegment b = arena.allocate(RTC_TIME_SIZE, 4);
                for (int attempt = 0; attempt < 10; attempt++) {
                    if ((int) H.IOCTL.invokeExact(fd, RTC_RD_TIME, a) < 0) return Optional.empty();
                    if ((int) H.IOCTL.invokeExact(fd, RTC_RD_TIME, b) < 0) return Optional.empty();
                    if (a.get(ValueLayout.JAVA_INT, 0) == b.get(ValueLayout.JAVA_INT, 0)) {
                        return Optional.of(new RtcFields(field(a, 0), field(a, 1), field(a, 2), field(a, 3), field(a, 4),
                                field(a, 5)));
                    }
                }
                return Optional.empty();
            } finally {
                int ignored = (int) H.CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            return Optional.empty();
        }
    }

    private static int field(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, 4L * index);
    }
}
