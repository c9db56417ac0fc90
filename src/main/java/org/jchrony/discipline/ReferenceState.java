package org.jchrony.discipline;

/**
 * What the NTP server announces (the reference snapshot): leap, stratum, ref id, reference time
 * and root delay/dispersion. Immutable; safe to publish to server threads.
 *
 * @param synchronised         false until the first clock update (then leap is 3, stratum 0 on the wire)
 * @param leap                 0 none, 1 insert, 2 delete, 3 unsynchronised
 * @param refTimeNanos         cooked local time of the last update (Unix ns)
 * @param rootDispersionSeconds root dispersion at {@code refTimeNanos}
 * @param dispersionRatePpm    growth of the root dispersion per second after refTime (skew + tolerance)
 */
public record ReferenceState(boolean synchronised, int leap, int stratum, int refId, long refTimeNanos,
                             double rootDelaySeconds, double rootDispersionSeconds, double dispersionRatePpm) {

    public static final ReferenceState UNSYNCHRONISED = new ReferenceState(false, 3, 0, 0, 0, 0, 0, 0);

    /** Root dispersion grown to {@code nowNanos}. */
    public double rootDispersionAt(long nowNanos) {
        double age = Math.max(0, (nowNanos - refTimeNanos) * 1e-9);
        return rootDispersionSeconds + age * dispersionRatePpm * 1e-6;
    }
}
