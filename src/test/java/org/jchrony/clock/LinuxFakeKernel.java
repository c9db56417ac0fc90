package org.jchrony.clock;

import java.util.ArrayList;
import java.util.List;

/** A pretend kernel clock for LinuxClockDriver tests: keeps tick/freq/status, records every request. */
final class LinuxFakeKernel implements TimexKernel {
    final List<Timex> requests = new ArrayList<>();
    long nowNanos = 1_700_000_000_000_000_000L;
    long tick = 10_000;
    long freqScaled;
    int status = Timex.STA_UNSYNC;
    long maxError = 16_000_000;
    long estError = 16_000_000;
    long steppedNanos;
    int failWithErrno;

    @Override
    public Result adjust(Timex r) {
        if (failWithErrno != 0 && r.modes() != 0) {
            throw new TimexException("clock_adjtime(CLOCK_REALTIME, modes=0x" + Integer.toHexString(r.modes()) + ")",
                    failWithErrno);
        }
        requests.add(r);
        int m = r.modes();
        if ((m & Timex.ADJ_TICK) != 0) {
            if (r.tickMicros() < 9000 || r.tickMicros() > 11000) {
                throw new TimexException("clock_adjtime", TimexException.EINVAL);
            }
            tick = r.tickMicros();
        }
        if ((m & Timex.ADJ_FREQUENCY) != 0) {
            freqScaled = Math.max(-500L << 16, Math.min(500L << 16, r.freqScaled()));
        }
        if ((m & Timex.ADJ_STATUS) != 0) {
            status = r.status();
        }
        if ((m & Timex.ADJ_MAXERROR) != 0) {
            maxError = r.maxErrorMicros();
        }
        if ((m & Timex.ADJ_ESTERROR) != 0) {
            estError = r.estErrorMicros();
        }
        if ((m & Timex.ADJ_SETOFFSET) != 0) {
            long frac = (m & Timex.ADJ_NANO) != 0 ? r.timeFraction() : r.timeFraction() * 1000;
            if (frac < 0 || frac >= 1_000_000_000L) {
                throw new TimexException("clock_adjtime", TimexException.EINVAL);
            }
            steppedNanos += r.timeSeconds() * 1_000_000_000L + frac;
            nowNanos += r.timeSeconds() * 1_000_000_000L + frac;
        }
        Timex state = new Timex(0, 0, freqScaled, maxError, estError, status, 2, 1, 32768000,
                nowNanos / 1_000_000_000L, (nowNanos % 1_000_000_000L) / 1000, tick, 0);
        return new Result((status & Timex.STA_UNSYNC) != 0 ? Timex.TIME_ERROR : 0, state);
    }

    @Override
    public long realtimeNanos() {
        return nowNanos;
    }

    @Override
    public int userHz() {
        return 100;
    }

    double totalPpm() {
        return (tick - 10_000) * 100.0 + freqScaled / 65536.0;
    }

    Timex lastRequest() {
        return requests.get(requests.size() - 1);
    }
}
