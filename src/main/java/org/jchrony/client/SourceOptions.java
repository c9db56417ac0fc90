package org.jchrony.client;

import java.util.Locale;
import org.jchrony.cmdmon.Command;

/** The options of chronyc's {@code add server|pool|peer NAME [options]}, with chrony.conf's defaults. */
final class SourceOptions {
    String name;
    int port = 123;
    int minpoll = 6;
    int maxpoll = 10;
    int presend = 100;
    int minStratum = 0;
    int pollTarget = 8;
    int version = 0;
    int maxSources = 4;
    int minSamples = -1;
    int maxSamples = -1;
    int authKey = 0;
    int ntsPort = 4460;
    int certSet = 0;
    int filter = 0;
    double maxDelay = 3.0;
    double maxDelayRatio = 0.0;
    double maxDelayDevRatio = 10.0;
    double maxDelayQuant = 0.0;
    double minDelay = 0.0;
    double asymmetry = 1.0;
    double offset = 0.0;
    int flags = Command.AddSource.FLAG_ONLINE;

    /** Parses "NAME [options]"; null on a syntax error. */
    static SourceOptions parse(String line) {
        String[] w = line.isEmpty() ? new String[0] : line.split(" ");
        if (w.length == 0) return null;
        SourceOptions o = new SourceOptions();
        o.name = w[0];
        for (int i = 1; i < w.length; i++) {
            String cmd = w[i].toLowerCase(Locale.ROOT);
            String arg = i + 1 < w.length ? w[i + 1] : "";
            switch (cmd) {
                case "auto_offline" -> o.flags |= Command.AddSource.FLAG_AUTOOFFLINE;
                case "burst" -> o.flags |= Command.AddSource.FLAG_BURST;
                case "copy" -> o.flags |= Command.AddSource.FLAG_COPY;
                case "iburst" -> o.flags |= Command.AddSource.FLAG_IBURST;
                case "offline" -> o.flags &= ~Command.AddSource.FLAG_ONLINE;
                case "noselect" -> o.flags |= Command.AddSource.FLAG_NOSELECT;
                case "prefer" -> o.flags |= Command.AddSource.FLAG_PREFER;
                case "require" -> o.flags |= Command.AddSource.FLAG_REQUIRE;
                case "trust" -> o.flags |= Command.AddSource.FLAG_TRUST;
                case "nts" -> o.flags |= Command.AddSource.FLAG_NTS;
                case "xleave" -> o.flags |= Command.AddSource.FLAG_INTERLEAVED;
                case "extfield" -> {
                    if (!arg.equalsIgnoreCase("f323")) return null;
                    o.flags |= Command.AddSource.FLAG_EF_EXP1;
                    i++;
                }
                default -> {
                    if (!o.numeric(cmd, arg)) return null;
                    i++;
                }
            }
        }
        return o;
    }

    private boolean numeric(String cmd, String arg) {
        Double d = Jchronyc.scanDouble(arg);
        Long l = Jchronyc.scanLong(arg);
        switch (cmd) {
            case "asymmetry", "maxdelay", "maxdelayratio", "maxdelaydevratio", "maxdelayquant", "mindelay", "offset" -> {
                if (d == null) return false;
                switch (cmd) {
                    case "asymmetry" -> asymmetry = d;
                    case "maxdelay" -> maxDelay = d;
                    case "maxdelayratio" -> maxDelayRatio = d;
                    case "maxdelaydevratio" -> maxDelayDevRatio = d;
                    case "maxdelayquant" -> maxDelayQuant = d;
                    case "mindelay" -> minDelay = d;
                    default -> offset = d;
                }
                return true;
            }
            case "certset", "key", "filter", "maxpoll", "maxsamples", "maxsources", "minpoll", "minsamples",
                 "minstratum", "ntsport", "port", "polltarget", "presend", "version" -> {
                if (l == null) return false;
                int v = (int) (long) l;
                switch (cmd) {
                    case "certset" -> certSet = v;
                    case "key" -> {
                        if (v == 0) return false;
                        authKey = v;
                    }
                    case "filter" -> filter = v;
                    case "maxpoll" -> maxpoll = v;
                    case "maxsamples" -> maxSamples = v;
                    case "maxsources" -> maxSources = v;
                    case "minpoll" -> minpoll = v;
                    case "minsamples" -> minSamples = v;
                    case "minstratum" -> minStratum = v;
                    case "ntsport" -> ntsPort = v;
                    case "port" -> port = v;
                    case "polltarget" -> pollTarget = v;
                    case "presend" -> presend = v;
                    default -> version = v;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    Command.AddSource toRequest(int type) {
        return new Command.AddSource(type, name, port, minpoll, maxpoll, presend, minStratum, pollTarget, version,
                maxSources, minSamples, maxSamples, authKey, ntsPort, maxDelay, maxDelayRatio, maxDelayDevRatio,
                minDelay, asymmetry, offset, flags, filter, certSet, maxDelayQuant, 0);
    }
}
