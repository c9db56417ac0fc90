package org.jchrony.daemon;

import java.util.List;
import org.jchrony.config.DaemonConfig;
import org.jchrony.config.Directive;
import org.jchrony.config.RateLimitSettings;
import org.jchrony.config.SourceOptions.SelectOption;
import org.jchrony.discipline.DisciplineConfig;
import org.jchrony.server.AccessList;
import org.jchrony.server.RateLimit;
import org.jchrony.source.SourceOptions;

/** Turns the parsed configuration into the settings records of the core components. */
final class ConfigMapping {
    private ConfigMapping() {}

    /** A configured server/pool/peer's options as the source package takes them, chronyd's defaults filled in. */
    static SourceOptions sourceOptions(DaemonConfig cfg, org.jchrony.config.SourceOptions o) {
        var sel = o.selectOptions();
        return new SourceOptions(o.minPollLog2(), o.maxPollLog2(), o.pollTarget(),
                o.presendPollLog2().orElse(0), o.iburst(), o.burst(), o.offline(),
                sel.contains(SelectOption.PREFER), sel.contains(SelectOption.NOSELECT),
                sel.contains(SelectOption.TRUST), sel.contains(SelectOption.REQUIRE), o.minStratum(),
                o.maxDelaySeconds(), o.maxDelayRatio(), o.maxDelayDevRatio(), o.minDelaySeconds(), o.asymmetry(),
                o.offsetSeconds(), o.filterLength().orElse(0), cfg.effectiveMinSamples(o), cfg.effectiveMaxSamples(o),
                o.port(), o.version().orElse(4), o.maxSources());
    }

    static DisciplineConfig discipline(DaemonConfig cfg, boolean restartMode, boolean setOnce) {
        int limit = cfg.makeStepLimit();
        // chronyd -R: makestep with a positive limit is ignored (a restart must not step).
        boolean makestep = cfg.makeStepEnabled() && !(restartMode && limit > 0);
        if (setOnce) {
            // chronyd -q: the first update steps the clock whatever its size.
            return discipline(cfg, false, false).withMakestep(0.0, 1);
        }
        double maxChangeOffset = cfg.maxChange().map(Directive.MaxChange::offsetSeconds).orElse(Double.NaN);
        int maxChangeStart = cfg.maxChange().map(Directive.MaxChange::start).orElse(0);
        int maxChangeIgnore = cfg.maxChange().map(Directive.MaxChange::ignore).orElse(0);
        return new DisciplineConfig(cfg.maxDistanceSeconds(), cfg.maxJitterSeconds(), cfg.minSources(),
                cfg.stratumWeightSeconds(), cfg.reselectDistanceSeconds(), cfg.combineLimit(), cfg.maxUpdateSkewPpm(),
                cfg.corrTimeRatio(), makestep ? cfg.makeStepThresholdSeconds() : Double.NaN, makestep ? limit : 0,
                maxChangeOffset, maxChangeStart, maxChangeIgnore, DisciplineConfig.defaults().minSelectSamples());
    }

    /** A rate limit, or null when the directive was not given (as ClientLog expects). */
    static RateLimit rateLimit(RateLimitSettings s) {
        return s.enabled() ? new RateLimit(s.intervalLog2(), s.burst(), s.leakLog2(), s.kod()) : null;
    }

    /** allow/deny or cmdallow/cmddeny rules, in order. Host names in rules are resolved here (start-up only). */
    static AccessList accessList(List<Directive.Access> rules) throws DaemonException {
        AccessList list = new AccessList();
        for (Directive.Access a : rules) {
            var subnet = a.subnet();
            if (subnet.isAny() || subnet.address().isEmpty() && subnet.hostname().isEmpty()) {
                list.add(a.allow(), a.all(), null, 0);
            } else if (subnet.address().isPresent()) {
                list.add(a.allow(), a.all(), subnet.address().get().toBytes(), subnet.prefixLength());
            } else {
                try {
                    for (var addr : java.net.InetAddress.getAllByName(subnet.hostname().get())) {
                        list.add(a.allow(), a.all(), addr.getAddress(), addr.getAddress().length * 8);
                    }
                } catch (java.net.UnknownHostException e) {
                    // chronyd refuses an allow/deny line whose host name does not resolve
                    throw new DaemonException(a.location().file() + ":" + a.location().line()
                            + ": Could not get address for " + subnet.hostname().get());
                }
            }
        }
        return list;
    }
}
