package org.jchrony.discipline;

/**
 * The time smoothing state chronyc smoothing shows (see {@link SmoothTime} for signs).
 *
 * @param lastUpdateAgoSeconds time since the smoother last took a correction, activation or reset
 * @param remainingSeconds     time to zero offset and frequency if no more corrections come
 */
public record SmoothTimeState(boolean active, boolean leapOnly, double offsetSeconds, double freqPpm,
                              double wanderPpmPerSecond, double lastUpdateAgoSeconds, double remainingSeconds) {}
