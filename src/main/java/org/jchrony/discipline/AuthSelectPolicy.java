package org.jchrony.discipline;

import java.util.ArrayList;
import java.util.List;

/**
 * chronyd's {@code authselectmode} (chrony.conf(5)): the selection options a source really gets,
 * from its configured ones and whether the NTP sources are authenticated ({@code key} or
 * {@code nts}). Sources configured {@code noselect} are left alone and not counted.
 * <ul>
 * <li>{@link Mode#REQUIRE}: unauthenticated NTP sources get {@code noselect};</li>
 * <li>{@link Mode#PREFER}: if at least one NTP source is authenticated, the unauthenticated NTP
 *     sources get {@code noselect};</li>
 * <li>{@link Mode#MIX} (default): if there are both authenticated and unauthenticated NTP
 *     sources, the authenticated ones and reference clocks get {@code require} and {@code trust};</li>
 * <li>{@link Mode#IGNORE}: the configured options, as chronyd before 4.0.</li>
 * </ul>
 * Pure; recomputed whenever the set of sources (or their options) changes.
 */
public final class AuthSelectPolicy {
    private AuthSelectPolicy() {}

    public enum Mode { REQUIRE, PREFER, MIX, IGNORE }

    /** The selection options this policy changes. */
    public record Options(boolean noselect, boolean require, boolean trust) {}

    /** One source: whether it is authenticated, whether it is a reference clock, its configured options. */
    public record Candidate(boolean authenticated, boolean referenceClock, Options configured) {}

    /** The effective options of each source, in order. */
    public static List<Options> effective(Mode mode, List<Candidate> sources) {
        int auth = 0;
        int unauth = 0;
        for (Candidate c : sources) {
            if (c.configured().noselect() || c.referenceClock()) continue;
            if (c.authenticated()) auth++;
            else unauth++;
        }
        List<Options> out = new ArrayList<>(sources.size());
        for (Candidate c : sources) {
            Options o = c.configured();
            if (!o.noselect()) {
                boolean unauthNtp = !c.referenceClock() && !c.authenticated();
                o = switch (mode) {
                    case REQUIRE -> unauthNtp ? new Options(true, o.require(), o.trust()) : o;
                    case PREFER -> unauthNtp && auth > 0 ? new Options(true, o.require(), o.trust()) : o;
                    case MIX -> auth > 0 && unauth > 0 && !unauthNtp ? new Options(false, true, true) : o;
                    case IGNORE -> o;
                };
            }
            out.add(o);
        }
        return out;
    }
}
