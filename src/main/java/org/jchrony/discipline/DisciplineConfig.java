package org.jchrony.discipline;

/**
 * Selection and reference-update parameters, with chrony.conf's names and defaults.
 *
 * @param maxDistanceSeconds   maxdistance (3 s): sources with a larger root distance are unselectable
 * @param maxJitterSeconds     maxjitter (1 s): sources with a larger std dev are marked '~'
 * @param minSources           minsources (1)
 * @param stratumWeightSeconds stratumweight (0.001 s)
 * @param reselectDistSeconds  reselectdist (100 µs)
 * @param combineLimit         combinelimit (3)
 * @param maxUpdateSkewPpm     maxupdateskew (1000 ppm): no frequency update with a larger skew
 * @param corrTimeRatio        corrtimeratio (3)
 * @param makestepThresholdSeconds makestep threshold (NaN = no makestep directive)
 * @param makestepLimit        makestep limit (updates during which a step is allowed; negative = always)
 * @param maxChangeOffsetSeconds maxchange offset (NaN = no maxchange)
 * @param maxChangeStart       maxchange start (updates before the check applies)
 * @param maxChangeIgnore      maxchange ignore (how many too large offsets are ignored before giving up)
 * @param minSelectSamples     samples a source needs before it can be selected (3)
 */
public record DisciplineConfig(double maxDistanceSeconds, double maxJitterSeconds, int minSources,
                               double stratumWeightSeconds, double reselectDistSeconds, double combineLimit,
                               double maxUpdateSkewPpm, double corrTimeRatio,
                               double makestepThresholdSeconds, int makestepLimit,
                               double maxChangeOffsetSeconds, int maxChangeStart, int maxChangeIgnore,
                               int minSelectSamples) {

    public static DisciplineConfig defaults() {
        return new DisciplineConfig(3.0, 1.0, 1, 0.001, 100e-6, 3.0, 1000.0, 3.0,
                Double.NaN, 0, Double.NaN, 0, 0, 3);
    }

    public DisciplineConfig withMakestep(double thresholdSeconds, int limit) {
        return new DisciplineConfig(maxDistanceSeconds, maxJitterSeconds, minSources, stratumWeightSeconds,
                reselectDistSeconds, combineLimit, maxUpdateSkewPpm, corrTimeRatio, thresholdSeconds, limit,
                maxChangeOffsetSeconds, maxChangeStart, maxChangeIgnore, minSelectSamples);
    }

    /** chronyc maxupdateskew. */
    public DisciplineConfig withMaxUpdateSkew(double skewPpm) {
        return new DisciplineConfig(maxDistanceSeconds, maxJitterSeconds, minSources, stratumWeightSeconds,
                reselectDistSeconds, combineLimit, skewPpm, corrTimeRatio, makestepThresholdSeconds, makestepLimit,
                maxChangeOffsetSeconds, maxChangeStart, maxChangeIgnore, minSelectSamples);
    }

    /** chronyc reselectdist. */
    public DisciplineConfig withReselectDistance(double distanceSeconds) {
        return new DisciplineConfig(maxDistanceSeconds, maxJitterSeconds, minSources, stratumWeightSeconds,
                distanceSeconds, combineLimit, maxUpdateSkewPpm, corrTimeRatio, makestepThresholdSeconds, makestepLimit,
                maxChangeOffsetSeconds, maxChangeStart, maxChangeIgnore, minSelectSamples);
    }

    public DisciplineConfig withMaxChange(double offsetSeconds, int start, int ignore) {
        return new DisciplineConfig(maxDistanceSeconds, maxJitterSeconds, minSources, stratumWeightSeconds,
                reselectDistSeconds, combineLimit, maxUpdateSkewPpm, corrTimeRatio, makestepThresholdSeconds,
                makestepLimit, offsetSeconds, start, ignore, minSelectSamples);
    }

    public DisciplineConfig withMinSources(int n) {
        return new DisciplineConfig(maxDistanceSeconds, maxJitterSeconds, n, stratumWeightSeconds,
                reselectDistSeconds, combineLimit, maxUpdateSkewPpm, corrTimeRatio, makestepThresholdSeconds,
                makestepLimit, maxChangeOffsetSeconds, maxChangeStart, maxChangeIgnore, minSelectSamples);
    }
}
