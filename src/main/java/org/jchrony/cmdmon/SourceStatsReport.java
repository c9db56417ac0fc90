package org.jchrony.cmdmon;

/** One line of chronyc sourcestats (RPY_SOURCESTATS). */
public record SourceStatsReport(int refId, IpAddr address, long samples, long runs, long spanSeconds,
                                double sdSeconds, double residFreqPpm, double skewPpm, double estOffsetSeconds,
                                double estOffsetErrSeconds) {}
