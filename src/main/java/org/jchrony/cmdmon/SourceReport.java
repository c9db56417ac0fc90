package org.jchrony.cmdmon;

/**
 * One line of chronyc sources (RPY_SOURCE_DATA). state: 0 '*' selected, 1 '?' nonselectable,
 * 2 'x' falseticker, 3 '~' jittery, 4 '+' unselected (combined), 5 '-' selectable;
 * mode: 0 '^' client, 1 '=' peer, 2 '#' reference clock.
 */
public record SourceReport(IpAddr address, int pollLog2, int stratum, int state, int mode, int flags,
                           int reachability, long sinceSampleSeconds, double origLatestMeasSeconds,
                           double latestMeasSeconds, double latestMeasErrSeconds) {
    public static final int STATE_SELECTED = 0, STATE_NONSELECTABLE = 1, STATE_FALSETICKER = 2,
            STATE_JITTERY = 3, STATE_UNSELECTED = 4, STATE_SELECTABLE = 5;
    public static final int MODE_CLIENT = 0, MODE_PEER = 1, MODE_REF = 2;
}
