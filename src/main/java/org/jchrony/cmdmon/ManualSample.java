package org.jchrony.cmdmon;

/** One settime sample of chronyc manual list (RPY_MANUAL_LIST2). */
public record ManualSample(Timespec when, double slewedOffsetSeconds, double origOffsetSeconds,
                           double residualSeconds) {}
