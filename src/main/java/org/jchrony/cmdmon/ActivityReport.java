package org.jchrony.cmdmon;

/** chronyc activity (RPY_ACTIVITY). */
public record ActivityReport(int online, int offline, int burstOnline, int burstOffline, int unresolved) {}
