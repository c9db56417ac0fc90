package org.jchrony.cmdmon;

/** chronyc rtcdata (RPY_RTC). */
public record RtcReport(Timespec refTime, int samples, int runs, long spanSeconds, double rtcSecondsFast,
                        double rtcGainRatePpm) {}
