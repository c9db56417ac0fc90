package org.jchrony.discipline;

/**
 * One measurement of a source, in local "cooked" time (raw clock + pending correction).
 *
 * @param timeNanos           local cooked time the offset refers to (midpoint of request and response)
 * @param offsetSeconds       how far the local clock is ahead of the source (positive = local fast)
 * @param peerDelaySeconds    round-trip delay to the source
 * @param peerDispersionSeconds precision and frequency-tolerance error of this measurement
 * @param rootDelaySeconds    source's root delay (from its packet)
 * @param rootDispersionSeconds source's root dispersion (from its packet)
 * @param stratum             source's stratum
 * @param leap                source's leap indicator (0 none, 1 insert, 2 delete, 3 unsynchronised)
 */
public record Sample(long timeNanos, double offsetSeconds, double peerDelaySeconds, double peerDispersionSeconds,
                     double rootDelaySeconds, double rootDispersionSeconds, int stratum, int leap) {

    /** The same sample with its offset shifted (after a clock correction). */
    Sample withOffset(double newOffsetSeconds) {
        return new Sample(timeNanos, newOffsetSeconds, peerDelaySeconds, peerDispersionSeconds,
                rootDelaySeconds, rootDispersionSeconds, stratum, leap);
    }
}
