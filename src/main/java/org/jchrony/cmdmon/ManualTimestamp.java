package org.jchrony.cmdmon;

/** settime's answer (RPY_MANUAL_TIMESTAMP2): clock offset and frequency change. */
public record ManualTimestamp(double offsetSeconds, double dfreqPpm, double newAfreqPpm) {}
