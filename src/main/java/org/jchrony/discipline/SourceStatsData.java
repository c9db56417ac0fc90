package org.jchrony.discipline;

import java.net.InetAddress;

/**
 * One line of {@code chronyc sourcestats} (SOURCESTATS reply): NP, NR, Span, Frequency,
 * Freq Skew, Offset, Std Dev. Offsets and frequency: positive = local clock ahead / fast.
 */
public record SourceStatsData(int refId, InetAddress address, String name, int samples, int runs,
                              long spanSeconds, double residualFreqPpm, double skewPpm, double offsetSeconds,
                              double offsetErrorSeconds, double stdDevSeconds) {

    static SourceStatsData of(SelectableSource s, long nowNanos) {
        SourceStats st = s.stats();
        SourceStats.Estimate e = st.estimate();
        if (e == null) {
            return new SourceStatsData(s.refId(), s.address(), s.name(), 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return new SourceStatsData(s.refId(), s.address(), s.name(), st.size(), e.runs(),
                Math.round(st.spanSeconds()), e.freqPpm(), e.skewPpm(), st.offsetAt(nowNanos),
                st.offsetErrorAt(nowNanos), e.stdDevSeconds());
    }
}
