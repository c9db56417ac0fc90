package org.jchrony.cmdmon;

/** chronyc tracking: the reference and the local clock's state (candm RPY_TRACKING). */
public record TrackingReport(int refId, IpAddr address, int stratum, int leapStatus, Timespec refTime,
                             double currentCorrectionSeconds, double lastOffsetSeconds, double rmsOffsetSeconds,
                             double freqPpm, double residFreqPpm, double skewPpm, double rootDelaySeconds,
                             double rootDispersionSeconds, double lastUpdateIntervalSeconds) {}
