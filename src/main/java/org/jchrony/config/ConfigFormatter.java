package org.jchrony.config;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes a directive back as one canonical chrony.conf line: options at their default are
 * left out, numbers are written so they read back to the same value, and parsing the line
 * gives back an equal directive (location aside). chronyd's {@code -p} output is
 * {@link ParseResult#toConfigText()}; this is for messages, {@code chronyc}-style dumps and
 * round-trip tests.
 */
public final class ConfigFormatter {
    private ConfigFormatter() {
    }

    /** The directive as a chrony.conf line (no newline). */
    public static String format(Directive d) {
        Line l = new Line(d.keyword().directiveName());
        switch (d) {
            case Directive.NtpSource s -> source(l, s);
            case Directive.Refclock r -> refclock(l, r);
            case Directive.InitStepSlew i -> {
                l.num(i.thresholdSeconds());
                i.hostnames().forEach(l::word);
            }
            case Directive.Access a -> {
                if (a.all()) {
                    l.word("all");
                }
                if (!a.subnet().isAny()) {
                    l.word(a.subnet().toString());
                }
            }
            case Directive.Port p -> l.word(Integer.toString(p.port()));
            case Directive.IntSetting i -> l.word(Integer.toString(i.value()));
            case Directive.RealSetting r -> l.num(r.value());
            case Directive.TextSetting t -> l.word(t.value());
            case Directive.Flag f -> {
            }
            case Directive.BindAddress b -> l.word(b.address().toString());
            case Directive.BindCommandSocket s -> l.word(s.path().orElse("/"));
            case Directive.RateLimit r -> {
                r.intervalLog2().ifPresent(v -> l.opt("interval", v));
                r.burst().ifPresent(v -> l.opt("burst", v));
                r.leakLog2().ifPresent(v -> l.opt("leak", v));
                r.kod().ifPresent(v -> l.opt("kod", v));
            }
            case Directive.DriftFile f -> {
                l.word(f.path());
                if (f.intervalSeconds() != 3600) {
                    l.opt("interval", f.intervalSeconds());
                }
            }
            case Directive.MakeStep m -> {
                l.num(m.thresholdSeconds());
                l.word(Integer.toString(m.limit()));
            }
            case Directive.MaxChange m -> {
                l.num(m.offsetSeconds());
                l.word(Integer.toString(m.start()));
                l.word(Integer.toString(m.ignore()));
            }
            case Directive.FallbackDrift f -> {
                l.word(Integer.toString(f.minIntervalLog2()));
                l.word(Integer.toString(f.maxIntervalLog2()));
            }
            case Directive.Local lo -> {
                l.opt("stratum", lo.stratum());
                if (lo.orphan()) {
                    l.word("orphan");
                }
                l.opt("distance", lo.distanceSeconds());
                l.opt("activate", lo.activateSeconds());
                l.opt("waitsynced", lo.waitSyncedSeconds());
                l.opt("waitunsynced", lo.waitUnsyncedSeconds());
            }
            case Directive.Log lg -> {
                for (Directive.LogKind k : Directive.LogKind.values()) {
                    if (lg.kinds().contains(k)) {
                        l.word(k.word());
                    }
                }
            }
            case Directive.LeapSecModeSetting m -> l.word(m.mode().name().toLowerCase(java.util.Locale.ROOT));
            case Directive.AuthSelectModeSetting m -> l.word(m.mode().name().toLowerCase(java.util.Locale.ROOT));
            case Directive.ClientLogLimit c -> l.word(Long.toString(c.bytes()));
            case Directive.Broadcast b -> {
                l.word(Integer.toString(b.intervalSeconds()));
                l.word(b.address().toString());
                l.word(Integer.toString(b.port()));
            }
            case Directive.SmoothTime s -> {
                l.num(s.maxFreqPpm());
                l.num(s.maxWanderPpmPerSecond());
                if (s.leapOnly()) {
                    l.word("leaponly");
                }
            }
            case Directive.TempComp t -> {
                l.word(t.sensorFile());
                l.num(t.intervalSeconds());
                if (t.pointFile().isPresent()) {
                    l.word(t.pointFile().get());
                } else {
                    l.num(t.t0());
                    l.num(t.k0());
                    l.num(t.k1());
                    l.num(t.k2());
                }
            }
            case Directive.HwTimestamp h -> {
                l.word(h.interfaceName());
                l.opt("minpoll", h.minPollLog2());
                l.opt("maxpoll", h.maxPollLog2());
                l.opt("minsamples", h.minSamples());
                l.opt("maxsamples", h.maxSamples());
                l.opt("precision", h.precisionSeconds());
                l.opt("txcomp", h.txCompSeconds());
                l.opt("rxcomp", h.rxCompSeconds());
                if (h.rxFilter() != Directive.RxFilter.ANY) {
                    l.word("rxfilter");
                    l.word(h.rxFilter().name().toLowerCase(java.util.Locale.ROOT));
                }
                if (h.noCrossTimestamp()) {
                    l.word("nocrossts");
                }
            }
            case Directive.MailOnChange m -> {
                l.word(m.address());
                l.num(m.thresholdSeconds());
            }
            case Directive.NtsTrustedCerts n -> {
                if (n.setId() != 0) {
                    l.word(Long.toString(n.setId()));
                }
                l.word(n.path());
            }
            case Directive.NtsAeads n -> n.aeadIds().forEach(i -> l.word(Integer.toString(i)));
            case Directive.OpenCommands o -> {
                for (Directive.OpenCommand c : Directive.OpenCommand.values()) {
                    if (o.commands().contains(c)) {
                        l.word(c.word());
                    }
                }
            }
            case Directive.Include i -> l.word(i.pattern());
            case Directive.ConfDir c -> c.directories().forEach(l::word);
            case Directive.SourceDir s -> s.directories().forEach(l::word);
            case Directive.Obsolete o -> {
            }
        }
        return l.toString();
    }

    /** Every directive formatted, one per line with a newline each. */
    public static String format(List<? extends Directive> directives) {
        StringBuilder sb = new StringBuilder();
        for (Directive d : directives) {
            sb.append(format(d)).append('\n');
        }
        return sb.toString();
    }

    private static void source(Line l, Directive.NtpSource s) {
        SourceOptions o = s.options();
        SourceOptions def = SourceOptions.defaults();
        l.word(s.name());
        flag(l, o.iburst(), "iburst");
        flag(l, o.burst(), "burst");
        flag(l, o.offline(), "offline");
        flag(l, o.autoOffline(), "auto_offline");
        flag(l, o.xleave(), "xleave");
        flag(l, o.copy(), "copy");
        flag(l, o.nts(), "nts");
        for (SourceOptions.SelectOption so : SourceOptions.SelectOption.values()) {
            flag(l, o.has(so), so.word());
        }
        intOpt(l, "minpoll", o.minPollLog2(), def.minPollLog2());
        intOpt(l, "maxpoll", o.maxPollLog2(), def.maxPollLog2());
        o.presendPollLog2().ifPresent(v -> l.opt("presend", v));
        intOpt(l, "polltarget", o.pollTarget(), def.pollTarget());
        intOpt(l, "minstratum", o.minStratum(), def.minStratum());
        intOpt(l, "maxsources", o.maxSources(), def.maxSources());
        o.version().ifPresent(v -> l.opt("version", v));
        o.minSamples().ifPresent(v -> l.opt("minsamples", v));
        o.maxSamples().ifPresent(v -> l.opt("maxsamples", v));
        intOpt(l, "maxunreach", o.maxUnreach(), def.maxUnreach());
        o.filterLength().ifPresent(v -> l.opt("filter", v));
        o.keyId().ifPresent(v -> l.opt("key", v));
        if (o.certSet() != def.certSet()) {
            l.opt("certset", o.certSet());
        }
        intOpt(l, "ntsport", o.ntsPort(), def.ntsPort());
        intOpt(l, "port", o.port(), def.port());
        realOpt(l, "maxdelay", o.maxDelaySeconds(), def.maxDelaySeconds());
        realOpt(l, "maxdelayratio", o.maxDelayRatio(), def.maxDelayRatio());
        realOpt(l, "maxdelaydevratio", o.maxDelayDevRatio(), def.maxDelayDevRatio());
        realOpt(l, "maxdelayquant", o.maxDelayQuant(), def.maxDelayQuant());
        realOpt(l, "mindelay", o.minDelaySeconds(), def.minDelaySeconds());
        realOpt(l, "asymmetry", o.asymmetry(), def.asymmetry());
        realOpt(l, "offset", o.offsetSeconds(), def.offsetSeconds());
        for (SourceOptions.ExtensionField f : SourceOptions.ExtensionField.values()) {
            if (o.extensionFields().contains(f)) {
                l.word("extfield");
                l.word(Integer.toHexString(f.type()).toUpperCase(java.util.Locale.ROOT));
            }
        }
        o.addressFamily().ifPresent(f -> l.word(f == IpAddress.Family.INET4 ? "ipv4" : "ipv6"));
    }

    private static void refclock(Line l, Directive.Refclock r) {
        RefclockOptions o = r.options();
        l.word(r.driver());
        l.word(r.parameter());
        l.opt("poll", o.pollLog2());
        l.opt("dpoll", o.driverPollLog2());
        l.opt("filter", o.filterLength());
        o.rate().ifPresent(v -> l.opt("rate", v));
        o.minSamples().ifPresent(v -> l.opt("minsamples", v));
        o.maxSamples().ifPresent(v -> l.opt("maxsamples", v));
        l.opt("maxunreach", o.maxUnreach());
        l.opt("maxlockage", o.maxLockAge());
        l.opt("stratum", o.stratum());
        if (o.refId() != 0) {
            l.word("refid");
            l.word(refIdText(o.refId()));
        }
        if (o.lockRefId() != 0) {
            l.word("lock");
            l.word(refIdText(o.lockRefId()));
        }
        flag(l, o.local(), "local");
        flag(l, o.ppsForced(), "pps");
        flag(l, o.tai(), "tai");
        for (SourceOptions.SelectOption so : SourceOptions.SelectOption.values()) {
            flag(l, o.selectOptions().contains(so), so.word());
        }
        l.opt("offset", o.offsetSeconds());
        l.opt("delay", o.delaySeconds());
        l.opt("precision", o.precisionSeconds());
        l.opt("maxdispersion", o.maxDispersionSeconds());
        l.opt("width", o.pulseWidthSeconds());
    }

    /** The up to 4 characters a refid was written as. */
    static String refIdText(long refId) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 24; shift >= 0; shift -= 8) {
            char c = (char) ((refId >> shift) & 0xFF);
            if (c == 0) {
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void flag(Line l, boolean on, String word) {
        if (on) {
            l.word(word);
        }
    }

    private static void intOpt(Line l, String name, int value, int def) {
        if (value != def) {
            l.opt(name, value);
        }
    }

    private static void realOpt(Line l, String name, double value, double def) {
        if (Double.compare(value, def) != 0) {
            l.opt(name, value);
        }
    }

    /** A number that reads back exactly: integral values without a fraction. */
    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static final class Line {
        private final List<String> words = new ArrayList<>();

        Line(String keyword) {
            words.add(keyword);
        }

        void word(String w) {
            words.add(w);
        }

        void num(double v) {
            words.add(ConfigFormatter.num(v));
        }

        void opt(String name, long v) {
            words.add(name);
            words.add(Long.toString(v));
        }

        void opt(String name, double v) {
            words.add(name);
            words.add(ConfigFormatter.num(v));
        }

        @Override
        public String toString() {
            StringJoiner j = new StringJoiner(" ");
            words.forEach(j::add);
            return j.toString();
        }
    }
}
