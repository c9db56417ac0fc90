package org.jchrony.cmdmon;

/** chronyc smoothing (RPY_SMOOTHING). */
public record SmoothingReport(boolean active, boolean leapOnly, double offsetSeconds, double freqPpm,
                              double wanderPpm, double lastUpdateAgoSeconds, double remainingTimeSeconds) {}
