package org.jchrony.cmdmon;

/**
 * chronyc selectdata for one source (RPY_SELECT_DATA). Options bits: 1 noselect, 2 prefer,
 * 4 trust, 8 require. stateChar is the selection state letter chronyd reports (e.g. '*', '+', 'N').
 */
public record SelectDataReport(int refId, IpAddr address, int stateChar, boolean authenticated, int leap,
                               int confOptions, int effOptions, long lastSampleAgoSeconds, double score,
                               double loLimitSeconds, double hiLimitSeconds) {}
