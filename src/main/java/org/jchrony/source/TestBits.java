package org.jchrony.source;

/**
 * Results of the checks on the last response, as {@code chronyc ntpdata} shows them
 * ("Test 1-3", "5-7", "A-D"): true = passed.
 *
 * @param notDuplicate   test 1: not a duplicate of the previous response
 * @param originMatches  test 2: origin timestamp equals our request's (random) transmit timestamp
 * @param validTimestamps test 3: receive and transmit timestamps non-zero, not interleaved confusion
 * @param authentic      test 5: authentication (always passes: no keys yet)
 * @param synchronised   test 6: leap ≠ 3, stratum in 1..15, reference time not after transmit time
 * @param rootDistanceOk test 7: root delay/2 + root dispersion within limits (16 s)
 * @param delayOk        test A: delay ≤ maxdelay
 * @param delayRatioOk   test B: delay / minimum delay ≤ maxdelayratio
 * @param delayDevRatioOk test C: extra delay ≤ maxdelaydevratio × std dev
 * @param noSyncLoop     test D: the server is not synchronised to us
 */
public record TestBits(boolean notDuplicate, boolean originMatches, boolean validTimestamps, boolean authentic,
                       boolean synchronised, boolean rootDistanceOk, boolean delayOk, boolean delayRatioOk,
                       boolean delayDevRatioOk, boolean noSyncLoop) {

    public static final TestBits NONE = new TestBits(false, false, false, false, false, false, false, false,
            false, false);

    /** Tests 1–3: the packet is a genuine answer to our request. */
    public boolean packetOk() {
        return notDuplicate && originMatches && validTimestamps;
    }

    /** All tests: the measurement becomes a sample. */
    public boolean allOk() {
        return packetOk() && authentic && synchronised && rootDistanceOk && delayOk && delayRatioOk
                && delayDevRatioOk && noSyncLoop;
    }

    /** chronyc ntpdata's rendering: three groups of 1/0, e.g. "111 111 1111". */
    public String render() {
        return b(notDuplicate) + b(originMatches) + b(validTimestamps) + " " + b(authentic) + b(synchronised)
                + b(rootDistanceOk) + " " + b(delayOk) + b(delayRatioOk) + b(delayDevRatioOk) + b(noSyncLoop);
    }

    private static String b(boolean v) {
        return v ? "1" : "0";
    }
}
