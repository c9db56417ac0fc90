package org.jchrony.config;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Options of a {@code refclock} directive (chrony.conf(5) 4.8) with chronyd's defaults.
 *
 * @param pollLog2 default 4
 * @param driverPollLog2 default 0
 * @param filterLength default 64
 * @param rate PPS pulse rate when given (1..)
 * @param minSamples per-source when given
 * @param maxSamples per-source when given
 * @param maxUnreach default 100000
 * @param maxLockAge default 2
 * @param stratum default 0 (0..15)
 * @param refId reference id (up to 4 ASCII chars packed big-endian), 0 = derived from driver
 * @param lockRefId refid of the clock a PPS refclock locks to, 0 = none
 * @param offsetSeconds default 0
 * @param delaySeconds default 1e-9
 * @param precisionSeconds default 0 (driver's)
 * @param maxDispersionSeconds default 0 (driver's)
 * @param pulseWidthSeconds default 0
 */
public record RefclockOptions(
        int pollLog2,
        int driverPollLog2,
        int filterLength,
        OptionalInt rate,
        OptionalInt minSamples,
        OptionalInt maxSamples,
        int maxUnreach,
        int maxLockAge,
        int stratum,
        long refId,
        long lockRefId,
        boolean local,
        boolean ppsForced,
        boolean tai,
        Set<SourceOptions.SelectOption> selectOptions,
        double offsetSeconds,
        double delaySeconds,
        double precisionSeconds,
        double maxDispersionSeconds,
        double pulseWidthSeconds) {

    public RefclockOptions {
        selectOptions = Set.copyOf(selectOptions);
    }
}
