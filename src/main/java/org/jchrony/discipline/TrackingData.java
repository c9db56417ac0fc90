package org.jchrony.discipline;

import java.net.InetAddress;

/**
 * Every field of {@code chronyc tracking} (and the TRACKING reply).
 *
 * @param refId                 Reference ID
 * @param refAddress            address of the selected source (null when none / reference clock)
 * @param refName               name of the selected source ("" when none)
 * @param stratum               Stratum (0 when not synchronised)
 * @param refTimeNanos          Ref time (UTC), 0 when never updated
 * @param currentCorrectionSeconds System time: correction still to be applied (positive = clock slow of NTP time)
 * @param lastOffsetSeconds     Last offset (positive = local clock was ahead)
 * @param rmsOffsetSeconds      RMS offset (long-term average)
 * @param freqPpm               Frequency: how fast the uncorrected clock runs, as chronyd reports it: negative =
 *                              slow (chronyc prints "N ppm slow"), i.e. the negation of the driver's correction
 * @param residualFreqPpm       Residual freq: the combined sources' frequency relative to the one in use before
 *                              the last update (positive = local clock fast, same sign as sourcestats)
 * @param skewPpm               Skew
 * @param rootDelaySeconds      Root delay
 * @param rootDispersionSeconds Root dispersion (grown to now)
 * @param lastUpdateIntervalSeconds Update interval
 * @param leap                  Leap status: 0 normal, 1 insert, 2 delete, 3 not synchronised
 */
public record TrackingData(int refId, InetAddress refAddress, String refName, int stratum, long refTimeNanos,
                           double currentCorrectionSeconds, double lastOffsetSeconds, double rmsOffsetSeconds,
                           double freqPpm, double residualFreqPpm, double skewPpm, double rootDelaySeconds,
                           double rootDispersionSeconds, double lastUpdateIntervalSeconds, int leap) {}
