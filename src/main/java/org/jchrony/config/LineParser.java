package org.jchrony.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.jchrony.config.Directive.SourceType;
import org.jchrony.config.Scan.Prefix;
import org.jchrony.config.SourceOptions.ExtensionField;
import org.jchrony.config.SourceOptions.SelectOption;

/**
 * Turns one normalized chrony.conf line into a {@link Directive}, accepting and rejecting
 * what chronyd 4.8 accepts and rejects, with chronyd's wording for the errors
 * ("Invalid directive", "Could not parse X directive", "Missing/Too many arguments for X
 * directive", "Invalid value N in X directive (min A, max B)", "Invalid option in X directive").
 */
final class LineParser {
    private static final java.util.regex.Pattern SHORT_IPV4 = java.util.regex.Pattern.compile("\\d+(\\.\\d+){0,2}");
    private static final java.util.regex.Pattern HOSTNAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final java.util.regex.Pattern ALL_NUMERIC = java.util.regex.Pattern.compile("[0-9.]+");

    private LineParser() {
    }

    /** Outcome of reading a server/pool/peer line in a sourcedir file (errors are not fatal there). */
    enum SourceStatus { OK, INVALID_OPTION, INVALID_VALUE, MISSING_ARGUMENT }

    /**
     * Parses one line already normalized ({@link #normalize}) and not empty.
     *
     * @param command the directive word as written (case kept for messages)
     * @param args the arguments, words separated by single spaces, possibly empty
     */
    static Directive parse(SourceLocation loc, String command, String args) throws ConfigException {
        Keyword kw = Keyword.lookup(command)
                .orElseThrow(() -> new ConfigException(loc, "Invalid directive " + command));
        Ctx c = new Ctx(loc, command, args);
        return switch (kw) {
            case SERVER -> source(c, SourceType.SERVER);
            case POOL -> source(c, SourceType.POOL);
            case PEER -> source(c, SourceType.PEER);
            case REFCLOCK -> refclock(c);
            case INITSTEPSLEW -> initStepSlew(c);
            case ALLOW -> access(c, kw, true);
            case DENY -> access(c, kw, false);
            case CMDALLOW -> access(c, kw, true);
            case CMDDENY -> access(c, kw, false);
            case ACQUISITIONPORT, PORT, CMDPORT, NTSPORT, PTPPORT, METRICSPORT ->
                    new Directive.Port(loc, kw, c.intArg(0, 65535));
            case DSCP -> new Directive.IntSetting(loc, kw, c.intArg(0, 63));
            case LOGBANNER, MAXSAMPLES, MINSAMPLES, NOCERTTIMECHECK, NTSREFRESH, NTSROTATE, REFRESH ->
                    new Directive.IntSetting(loc, kw, c.intArg(0, Integer.MAX_VALUE));
            case MINSOURCES, MAXNTSCONNECTIONS -> new Directive.IntSetting(loc, kw, c.intArg(1, Integer.MAX_VALUE));
            case NTSPROCESSES -> new Directive.IntSetting(loc, kw, c.intArg(0, 1000));
            case PTPDOMAIN -> new Directive.IntSetting(loc, kw, c.intArg(0, 255));
            case SCHED_PRIORITY -> new Directive.IntSetting(loc, kw, c.intArg(0, 100));
            case CLOCKPRECISION, COMBINELIMIT, CORRTIMERATIO, HWTSTIMEOUT, LOGCHANGE, MAXCLOCKERROR,
                 MAXDISTANCE, MAXDRIFT, MAXJITTER, MAXSLEWRATE, MAXUPDATESKEW, RESELECTDIST, RTCAUTOTRIM,
                 STRATUMWEIGHT -> new Directive.RealSetting(loc, kw, c.doubleArg());
            case BINDACQDEVICE, BINDCMDDEVICE, BINDDEVICE, DUMPDIR, HWCLOCKFILE, KEYFILE, LEAPSECTZ,
                 LEAPSECLIST, LOGDIR, NTPSIGNDSOCKET, NTSCACHEDIR, NTSDUMPDIR, NTSNTPSERVER, NTSSERVERCERT,
                 NTSSERVERKEY, PIDFILE, RTCDEVICE, RTCFILE, USER -> new Directive.TextSetting(loc, kw, c.stringArg());
            case LOCK_ALL, MANUAL, NOCLIENTLOG, NOSYSTEMCERT, RTCONUTC, RTCSYNC -> {
                c.checkArgs(0);
                yield new Directive.Flag(loc, kw);
            }
            case BINDADDRESS, BINDACQADDRESS -> {
                c.checkArgs(1);
                yield new Directive.BindAddress(loc, kw, IpAddress.parse(args).orElseThrow(c::parseError));
            }
            case BINDCMDADDRESS -> bindCmdAddress(c);
            case METRICSBINDADDRESS -> {
                c.checkArgs(1);
                yield new Directive.BindAddress(loc, kw, IpAddress.parse(c.args).orElseThrow(c::parseError));
            }
            case RATELIMIT -> rateLimit(c, kw, true);
            case NTSRATELIMIT, CMDRATELIMIT -> rateLimit(c, kw, false);
            case DRIFTFILE -> driftFile(c);
            case MAKESTEP -> {
                c.checkArgs(2);
                Scan.Cursor s = new Scan.Cursor(args);  // sscanf("%lf %d")
                double threshold = s.nextDouble().orElseThrow(c::parseError);
                int limit = s.nextInt().orElseThrow(c::parseError);
                yield new Directive.MakeStep(loc, threshold, limit);
            }
            case MAXCHANGE -> {
                c.checkArgs(3);
                Scan.Cursor s = new Scan.Cursor(args);  // sscanf("%lf %d %d")
                double offset = s.nextDouble().orElseThrow(c::parseError);
                int start = s.nextInt().orElseThrow(c::parseError);
                int ignore = s.nextInt().orElseThrow(c::parseError);
                yield new Directive.MaxChange(loc, offset, start, ignore);
            }
            case FALLBACKDRIFT -> {
                c.checkArgs(2);
                Scan.Cursor s = new Scan.Cursor(args);  // sscanf("%d %d")
                int min = s.nextInt().orElseThrow(c::parseError);
                int max = s.nextInt().orElseThrow(c::parseError);
                yield new Directive.FallbackDrift(loc, min, max);
            }
            case LOCAL -> local(c);
            case LOG -> log(c);
            case LEAPSECMODE -> new Directive.LeapSecModeSetting(loc, switch (asciiLower(args)) {
                case "system" -> Directive.LeapSecMode.SYSTEM;
                case "slew" -> Directive.LeapSecMode.SLEW;
                case "step" -> Directive.LeapSecMode.STEP;
                case "ignore" -> Directive.LeapSecMode.IGNORE;
                default -> throw c.parseError();
            });
            case AUTHSELECTMODE -> new Directive.AuthSelectModeSetting(loc,
                    switch (asciiLower(args)) {
                        case "require" -> Directive.AuthSelectMode.REQUIRE;
                        case "prefer" -> Directive.AuthSelectMode.PREFER;
                        case "mix" -> Directive.AuthSelectMode.MIX;
                        case "ignore" -> Directive.AuthSelectMode.IGNORE;
                        default -> throw c.parseError();
                    });
            case CLIENTLOGLIMIT -> {
                c.checkArgs(1);
                yield new Directive.ClientLogLimit(loc, Scan.ulongPrefix(args).orElseThrow(c::parseError).value());
            }
            case BROADCAST -> broadcast(c);
            case SMOOTHTIME -> smoothTime(c);
            case TEMPCOMP -> tempComp(c);
            case HWTIMESTAMP -> hwTimestamp(c);
            case MAILONCHANGE -> {
                c.checkArgs(2);
                String[] w = args.split(" ");
                yield new Directive.MailOnChange(loc, w[0], c.doublePrefix(w[1]));
            }
            case NTSTRUSTEDCERTS -> {
                if (c.argCount() == 2) {
                    String[] w = args.split(" ");
                    long id = Scan.uint32Prefix(w[0]).orElseThrow(c::parseError).value();
                    yield new Directive.NtsTrustedCerts(loc, id, w[1]);
                }
                c.checkArgs(1);
                yield new Directive.NtsTrustedCerts(loc, 0, args);
            }
            case NTSAEADS -> {
                List<Integer> ids = new ArrayList<>();
                for (String w : Words.of(args).remainingList()) {
                    ids.add(c.intWord(w, 0, Integer.MAX_VALUE));
                }
                yield new Directive.NtsAeads(loc, ids);
            }
            case OPENCOMMANDS -> openCommands(c);
            case INCLUDE -> {
                c.checkArgs(1);
                yield new Directive.Include(loc, args);
            }
            case CONFDIR -> new Directive.ConfDir(loc, c.directories());
            case SOURCEDIR -> new Directive.SourceDir(loc, args.isEmpty() ? List.of() : List.of(args.split(" ")));
            case DUMPONEXIT, COMMANDKEY, GENERATECOMMANDKEY, LINUX_FREQ_SCALE, LINUX_HZ ->
                    new Directive.Obsolete(loc, kw);
        };
    }

    /**
     * chronyd's line normalization: leading white space removed, runs of white space become one
     * space, trailing space removed; a line whose first non-blank character is one of
     * {@code ! ; # %} is a comment and becomes empty.
     */
    static String normalize(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        boolean space = true;
        boolean first = true;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (isCSpace(ch)) {
                if (!space) {
                    sb.append(' ');
                }
                space = true;
                continue;
            }
            if (first && "!;#%".indexOf(ch) >= 0) {
                break;
            }
            sb.append(ch);
            space = false;
            first = false;
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == ' ') {
            sb.setLength(n - 1);
        }
        return sb.toString();
    }

    /** Lower case for ASCII letters only, as {@code strcasecmp} compares in the C locale. */
    static String asciiLower(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, (char) (ch + 32));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** The white space of C's {@code isspace} in the C locale. */
    static boolean isCSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == 0x0B;
    }

    // ---------------------------------------------------------------- server / pool / peer

    private static Directive source(Ctx c, SourceType type) throws ConfigException {
        SourceBuilder b = new SourceBuilder();
        SourceStatus st = parseSourceArgs(c.args, b);
        if (st != SourceStatus.OK) {
            String what = switch (st) {
                case INVALID_OPTION -> "Invalid option in " + c.command + " directive";
                case INVALID_VALUE -> "Invalid value in " + c.command + " directive";
                default -> "Invalid syntax for " + c.command + " directive";
            };
            throw new ConfigException(c.loc, b.problem == null ? what : what + " (" + b.problem + ")");
        }
        return new Directive.NtpSource(c.loc, type, b.name, b.build());
    }

    /** Parses a source line for a sourcedir file; returns the directive or empty when invalid. */
    static Optional<Directive.NtpSource> sourceFromSourcesFile(SourceLocation loc, String command, String args) {
        SourceType type = switch (asciiLower(command)) {
            case "server" -> SourceType.SERVER;
            case "pool" -> SourceType.POOL;
            case "peer" -> SourceType.PEER;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        SourceBuilder b = new SourceBuilder();
        if (parseSourceArgs(args, b) != SourceStatus.OK) {
            return Optional.empty();
        }
        return Optional.of(new Directive.NtpSource(loc, type, b.name, b.build()));
    }

    private static SourceStatus parseSourceArgs(String args, SourceBuilder b) {
        Words w = Words.of(args);
        if (!w.hasNext()) {
            return SourceStatus.MISSING_ARGUMENT;
        }
        b.name = w.next();
        while (w.hasNext()) {
            String opt = w.next();
            String o = asciiLower(opt);
            String val = w.peek();
            switch (o) {
                case "auto_offline" -> b.autoOffline = true;
                case "burst" -> b.burst = true;
                case "copy" -> b.copy = true;
                case "iburst" -> b.iburst = true;
                case "offline" -> b.offline = true;
                case "nts" -> b.nts = true;
                case "xleave" -> b.xleave = true;
                case "ipv4" -> b.family = Optional.of(IpAddress.Family.INET4);
                case "ipv6" -> b.family = Optional.of(IpAddress.Family.INET6);
                case "noselect" -> b.select.add(SelectOption.NOSELECT);
                case "prefer" -> b.select.add(SelectOption.PREFER);
                case "require" -> b.select.add(SelectOption.REQUIRE);
                case "trust" -> b.select.add(SelectOption.TRUST);
                case "certset" -> {
                    Prefix<Long> p = Scan.uint32Prefix(val).orElse(null);
                    if (p == null) {
                        return b.bad(opt, val);
                    }
                    b.certSet = p.value();
                    w.consume(p.rest());
                }
                case "key" -> {
                    Prefix<Long> p = Scan.uint32Prefix(val).orElse(null);
                    if (p == null || p.value() == 0) {
                        return b.bad(opt, val);
                    }
                    b.key = OptionalLong.of(p.value());
                    w.consume(p.rest());
                }
                case "extfield" -> {
                    Prefix<Long> p = Scan.hex32Prefix(val).orElse(null);
                    if (p == null) {
                        return b.bad(opt, val);
                    }
                    if (p.value() == 0xF323L) {
                        b.ext.add(ExtensionField.EXP_MONO_ROOT);
                    } else if (p.value() == 0xF324L) {
                        b.ext.add(ExtensionField.EXP_NET_CORRECTION);
                    } else {
                        return b.bad(opt, val);
                    }
                    w.consume(p.rest());
                }
                case "asymmetry", "maxdelay", "maxdelayratio", "maxdelaydevratio", "maxdelayquant", "mindelay",
                     "offset" -> {
                    Prefix<Double> p = Scan.doublePrefix(val).orElse(null);
                    if (p == null) {
                        return b.bad(opt, val);
                    }
                    double v = p.value();
                    switch (o) {
                        case "asymmetry" -> b.asymmetry = v;
                        case "maxdelay" -> b.maxDelay = v;
                        case "maxdelayratio" -> b.maxDelayRatio = v;
                        case "maxdelaydevratio" -> b.maxDelayDevRatio = v;
                        case "maxdelayquant" -> b.maxDelayQuant = v;
                        case "mindelay" -> b.minDelay = v;
                        default -> b.offset = v;
                    }
                    w.consume(p.rest());
                }
                case "filter", "maxpoll", "maxsamples", "maxsources", "maxunreach", "minpoll", "minsamples",
                     "minstratum", "ntsport", "port", "polltarget", "presend", "version" -> {
                    long min;
                    long max;
                    switch (o) {
                        case "maxpoll", "presend" -> { min = -32; max = 32; }
                        case "maxsources", "polltarget" -> { min = 1; max = Integer.MAX_VALUE; }
                        case "minpoll" -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
                        case "minstratum" -> { min = 0; max = 16; }
                        case "ntsport", "port" -> { min = 0; max = 65535; }
                        case "version" -> { min = 1; max = 4; }
                        default -> { min = 0; max = Integer.MAX_VALUE; }
                    }
                    Prefix<Integer> p = Scan.intPrefix(val).orElse(null);
                    if (p == null || p.value() < min || p.value() > max) {
                        return b.bad(opt, val);
                    }
                    int v = p.value();
                    switch (o) {
                        case "filter" -> b.filter = OptionalInt.of(v);
                        case "maxpoll" -> b.maxPoll = v;
                        case "maxsamples" -> b.maxSamples = OptionalInt.of(v);
                        case "maxsources" -> b.maxSources = v;
                        case "maxunreach" -> b.maxUnreach = v;
                        case "minpoll" -> b.minPoll = v;
                        case "minsamples" -> b.minSamples = OptionalInt.of(v);
                        case "minstratum" -> b.minStratum = v;
                        case "ntsport" -> b.ntsPort = v;
                        case "port" -> b.port = v;
                        case "polltarget" -> b.pollTarget = v;
                        case "presend" -> b.presend = OptionalInt.of(v);
                        default -> b.version = OptionalInt.of(v);
                    }
                    w.consume(p.rest());
                }
                default -> {
                    b.problem = opt;
                    return SourceStatus.INVALID_OPTION;
                }
            }
        }
        return SourceStatus.OK;
    }

    private static final class SourceBuilder {
        String name;
        String problem;
        int port = SourceOptions.DEFAULT_PORT;
        int minPoll = SourceOptions.DEFAULT_MINPOLL;
        int maxPoll = SourceOptions.DEFAULT_MAXPOLL;
        OptionalInt presend = OptionalInt.empty();
        int pollTarget = SourceOptions.DEFAULT_POLLTARGET;
        int minStratum;
        int maxSources = SourceOptions.DEFAULT_MAXSOURCES;
        OptionalInt version = OptionalInt.empty();
        OptionalInt minSamples = OptionalInt.empty();
        OptionalInt maxSamples = OptionalInt.empty();
        int maxUnreach = SourceOptions.DEFAULT_MAXUNREACH;
        OptionalInt filter = OptionalInt.empty();
        boolean iburst;
        boolean burst;
        boolean offline;
        boolean autoOffline;
        boolean xleave;
        boolean copy;
        boolean nts;
        final Set<SelectOption> select = EnumSet.noneOf(SelectOption.class);
        final Set<ExtensionField> ext = EnumSet.noneOf(ExtensionField.class);
        OptionalLong key = OptionalLong.empty();
        long certSet;
        int ntsPort = SourceOptions.DEFAULT_NTSPORT;
        double maxDelay = SourceOptions.DEFAULT_MAXDELAY;
        double maxDelayRatio;
        double maxDelayDevRatio = SourceOptions.DEFAULT_MAXDELAYDEVRATIO;
        double maxDelayQuant;
        double minDelay;
        double asymmetry = SourceOptions.DEFAULT_ASYMMETRY;
        double offset;
        Optional<IpAddress.Family> family = Optional.empty();

        SourceStatus bad(String option, String value) {
            problem = value.isEmpty() ? option + " without a value" : option + " " + value;
            return SourceStatus.INVALID_VALUE;
        }

        SourceOptions build() {
            return new SourceOptions(port, minPoll, maxPoll, presend, pollTarget, minStratum, maxSources, version,
                    minSamples, maxSamples, maxUnreach, filter, iburst, burst, offline, autoOffline, xleave, copy,
                    nts, select, ext, key, certSet, ntsPort, maxDelay, maxDelayRatio, maxDelayDevRatio,
                    maxDelayQuant, minDelay, asymmetry, offset, family);
        }
    }

    // ---------------------------------------------------------------- refclock

    /** Driver names chronyd 4.8 knows (case-sensitive). */
    static final Set<String> REFCLOCK_DRIVERS = Set.of("PHC", "PPS", "RTC", "SHM", "SOCK");

    private static Directive refclock(Ctx c) throws ConfigException {
        Words w = Words.of(c.args);
        if (w.remaining() < 2) {
            throw c.parseError();
        }
        String driver = w.next();
        String parameter = w.next();
        if (!REFCLOCK_DRIVERS.contains(driver)) {
            // chronyd 4.8 refuses this when it adds the refclock at start
            throw new ConfigException(c.loc, "unknown refclock driver " + driver);
        }
        int poll = 4;
        int dpoll = 0;
        int filter = 64;
        OptionalInt rate = OptionalInt.empty();
        OptionalInt minSamples = OptionalInt.empty();
        OptionalInt maxSamples = OptionalInt.empty();
        int maxUnreach = SourceOptions.DEFAULT_MAXUNREACH;
        int maxLockAge = 2;
        int stratum = 0;
        long refId = 0;
        long lockRefId = 0;
        boolean local = false;
        boolean pps = false;
        boolean tai = false;
        Set<SelectOption> select = EnumSet.noneOf(SelectOption.class);
        double offset = 0;
        double delay = 1e-9;
        double precision = 0;
        double maxDispersion = 0;
        double width = 0;
        while (w.hasNext()) {
            String opt = w.next();
            String o = asciiLower(opt);
            String val = w.peek();
            switch (o) {
                case "refid", "lock" -> {
                    if (val.isEmpty() || val.length() > 4) {
                        throw c.refclockValue(opt, val);
                    }
                    long id = 0;
                    for (int i = 0; i < val.length(); i++) {
                        id |= ((long) (val.charAt(i) & 0xFF)) << (24 - 8 * i);
                    }
                    if (o.equals("refid")) {
                        refId = id;
                    } else {
                        lockRefId = id;
                    }
                    w.consume("");
                }
                case "local" -> local = true;
                case "pps" -> pps = true;
                case "tai" -> tai = true;
                case "noselect" -> select.add(SelectOption.NOSELECT);
                case "prefer" -> select.add(SelectOption.PREFER);
                case "require" -> select.add(SelectOption.REQUIRE);
                case "trust" -> select.add(SelectOption.TRUST);
                case "offset", "delay", "precision", "maxdispersion", "width" -> {
                    Prefix<Double> p = Scan.doublePrefix(val).orElseThrow(() -> c.refclockValue(opt, val));
                    switch (o) {
                        case "offset" -> offset = p.value();
                        case "delay" -> delay = p.value();
                        case "precision" -> precision = p.value();
                        case "maxdispersion" -> maxDispersion = p.value();
                        default -> width = p.value();
                    }
                    w.consume(p.rest());
                }
                case "poll", "dpoll", "filter", "rate", "minsamples", "maxlockage", "maxsamples", "maxunreach",
                     "stratum" -> {
                    long min = switch (o) {
                        case "poll", "dpoll" -> -32;
                        case "rate" -> 1;
                        default -> 0;
                    };
                    long max = switch (o) {
                        case "poll", "dpoll" -> 32;
                        case "stratum" -> 15;
                        default -> Integer.MAX_VALUE;
                    };
                    Prefix<Integer> p = Scan.intPrefix(val).orElse(null);
                    if (p == null || p.value() < min || p.value() > max) {
                        throw c.refclockValue(opt, val);
                    }
                    int v = p.value();
                    switch (o) {
                        case "poll" -> poll = v;
                        case "dpoll" -> dpoll = v;
                        case "filter" -> filter = v;
                        case "rate" -> rate = OptionalInt.of(v);
                        case "minsamples" -> minSamples = OptionalInt.of(v);
                        case "maxlockage" -> maxLockAge = v;
                        case "maxsamples" -> maxSamples = OptionalInt.of(v);
                        case "maxunreach" -> maxUnreach = v;
                        default -> stratum = v;
                    }
                    w.consume(p.rest());
                }
                default -> throw new ConfigException(c.loc,
                        "Invalid option in " + c.command + " directive (" + opt + ")");
            }
        }
        return new Directive.Refclock(c.loc, driver, parameter, new RefclockOptions(poll, dpoll, filter, rate,
                minSamples, maxSamples, maxUnreach, maxLockAge, stratum, refId, lockRefId, local, pps, tai, select,
                offset, delay, precision, maxDispersion, width));
    }

    // ---------------------------------------------------------------- others

    private static Directive initStepSlew(Ctx c) throws ConfigException {
        Words w = Words.of(c.args);
        double threshold = Scan.doublePrefix(w.peek()).orElseThrow(c::parseError).value();
        w.next();
        List<String> hosts = new ArrayList<>();
        while (w.hasNext()) {
            hosts.add(w.next());
        }
        return new Directive.InitStepSlew(c.loc, threshold, hosts);
    }

    private static Directive access(Ctx c, Keyword kw, boolean allow) throws ConfigException {
        List<String> w = Words.of(c.args).remainingList();
        boolean all = false;
        int i = 0;
        if (!w.isEmpty() && w.get(0).equals("all")) {
            all = true;
            i = 1;
        }
        if (w.size() - i > 1) {
            throw c.parseError();
        }
        if (w.size() == i) {
            return new Directive.Access(c.loc, kw, allow, all, Subnet.any());
        }
        return new Directive.Access(c.loc, kw, allow, all, parseSubnet(c, w.get(i)));
    }

    private static Subnet parseSubnet(Ctx c, String net) throws ConfigException {
        int bits = -1;
        String addr = net;
        int slash = net.indexOf('/');
        if (slash >= 0) {
            Prefix<Integer> p = Scan.intPrefix(net.substring(slash + 1)).orElseThrow(c::parseError);
            if (!p.rest().isEmpty() || p.value() < 0) {
                throw c.parseError();
            }
            bits = p.value();
            addr = net.substring(0, slash);
        }
        Optional<IpAddress> ip = IpAddress.parse(addr);
        if (ip.isPresent()) {
            int b = bits >= 0 ? bits : ip.get().bitLength();
            return checkedSubnet(c, ip.get(), b);
        }
        // Shortened IPv4 network: 1 to 3 decimal numbers ("10", "10.1", "10.1.2").
        if (SHORT_IPV4.matcher(addr).matches()) {
            String[] parts = addr.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < parts.length; i++) {
                long v = parts[i].length() > 10 ? Long.MAX_VALUE : Long.parseLong(parts[i]);
                if (v > 255) {
                    throw c.parseError();
                }
                b[i] = (byte) v;
            }
            return checkedSubnet(c, IpAddress.ofBytes(b), bits >= 0 ? bits : parts.length * 8);
        }
        if (bits < 0) {
            // chronyd resolves the word now; numeric forms getaddrinfo accepts (inet_aton:
            // octal/hex parts such as 01.2.3.4 or 0x10) give a host address without DNS
            Optional<IpAddress> numeric = IpAddress.parseInetAton(addr);
            if (numeric.isPresent()) {
                return Subnet.of(numeric.get(), 32);
            }
            if (looksLikeHostname(addr)) {
                return Subnet.ofHostname(addr);
            }
        }
        throw c.parseError();
    }

    private static Subnet checkedSubnet(Ctx c, IpAddress ip, int bits) throws ConfigException {
        if (bits > ip.bitLength()) {
            // chronyd reports this when it installs the rule ("Bad subnet in ADDR/BITS")
            throw new ConfigException(c.loc, "Bad subnet in " + ip + "/" + bits);
        }
        return Subnet.of(ip, bits);
    }

    /** A DNS name: dot-separated labels of letters, digits, '-' and '_', not all-numeric. */
    static boolean looksLikeHostname(String s) {
        if (s.isEmpty() || s.length() > 253 || !HOSTNAME.matcher(s).matches()) {
            return false;
        }
        return !ALL_NUMERIC.matcher(s).matches();
    }

    private static Directive bindCmdAddress(Ctx c) throws ConfigException {
        c.checkArgs(1);
        if (c.args.startsWith("/")) {
            return new Directive.BindCommandSocket(c.loc,
                    c.args.equals("/") ? Optional.empty() : Optional.of(c.args));
        }
        return new Directive.BindAddress(c.loc, Keyword.BINDCMDADDRESS,
                IpAddress.parse(c.args).orElseThrow(c::parseError));
    }

    private static Directive rateLimit(Ctx c, Keyword kw, boolean kodAllowed) throws ConfigException {
        Words w = Words.of(c.args);
        OptionalInt interval = OptionalInt.empty();
        OptionalInt burst = OptionalInt.empty();
        OptionalInt leak = OptionalInt.empty();
        OptionalInt kod = OptionalInt.empty();
        while (w.hasNext()) {
            String opt = w.next();
            Prefix<Integer> p = Scan.intPrefix(w.peek()).orElseThrow(c::parseError);
            if (p.value() < -32 || p.value() > 32) {
                throw c.parseError();
            }
            w.consume(p.rest());
            OptionalInt v = OptionalInt.of(p.value());
            switch (asciiLower(opt)) {
                case "interval" -> interval = v;
                case "burst" -> burst = v;
                case "leak" -> leak = v;
                case "kod" -> {
                    if (!kodAllowed) {
                        throw c.parseError();
                    }
                    kod = v;
                }
                default -> throw c.parseError();
            }
        }
        return new Directive.RateLimit(c.loc, kw, interval, burst, leak, kod);
    }

    private static Directive driftFile(Ctx c) throws ConfigException {
        List<String> w = Words.of(c.args).remainingList();
        if (w.isEmpty()) {
            throw c.parseError();
        }
        int interval = 3600;
        if (w.size() > 1) {
            if (!asciiLower(w.get(1)).equals("interval") || w.size() != 3) {
                throw c.parseError();
            }
            interval = Scan.intPrefix(w.get(2)).orElseThrow(c::parseError).value();
        }
        return new Directive.DriftFile(c.loc, w.get(0), interval);
    }

    private static Directive local(Ctx c) throws ConfigException {
        Words w = Words.of(c.args);
        int stratum = 10;
        boolean orphan = false;
        double distance = 1.0;
        double activate = 0.0;
        double waitSynced = 0.0;
        double waitUnsynced = -1.0;
        while (w.hasNext()) {
            String opt = w.next();
            String o = asciiLower(opt);
            String val = w.peek();
            switch (o) {
                case "orphan" -> orphan = true;
                case "stratum" -> {
                    Prefix<Integer> p = Scan.intPrefix(val).orElse(null);
                    if (p == null || p.value() < 1 || p.value() > 15) {
                        throw new ConfigException(c.loc, "Invalid value in " + c.command + " directive ("
                                + opt + " " + val + ")");
                    }
                    stratum = p.value();
                    w.consume(p.rest());
                }
                case "distance", "activate", "waitsynced", "waitunsynced" -> {
                    Prefix<Double> p = Scan.doublePrefix(val).orElseThrow(() -> new ConfigException(c.loc,
                            "Invalid value in " + c.command + " directive (" + opt + " " + val + ")"));
                    switch (o) {
                        case "distance" -> distance = p.value();
                        case "activate" -> activate = p.value();
                        case "waitsynced" -> waitSynced = p.value();
                        default -> waitUnsynced = p.value();
                    }
                    w.consume(p.rest());
                }
                default -> throw new ConfigException(c.loc,
                        "Invalid option in " + c.command + " directive (" + opt + ")");
            }
        }
        if (waitUnsynced < 0.0) {
            waitUnsynced = orphan ? 300.0 : 0.0;
        }
        return new Directive.Local(c.loc, stratum, orphan, distance, activate, waitSynced, waitUnsynced);
    }

    private static Directive log(Ctx c) throws ConfigException {
        Set<Directive.LogKind> kinds = EnumSet.noneOf(Directive.LogKind.class);
        for (String w : Words.of(c.args).remainingList()) {
            Directive.LogKind k = switch (w) {
                case "rawmeasurements" -> Directive.LogKind.RAWMEASUREMENTS;
                case "measurements" -> Directive.LogKind.MEASUREMENTS;
                case "selection" -> Directive.LogKind.SELECTION;
                case "statistics" -> Directive.LogKind.STATISTICS;
                case "tracking" -> Directive.LogKind.TRACKING;
                case "rtc" -> Directive.LogKind.RTC;
                case "refclocks" -> Directive.LogKind.REFCLOCKS;
                case "tempcomp" -> Directive.LogKind.TEMPCOMP;
                default -> throw new ConfigException(c.loc, "Invalid log parameter " + w);
            };
            kinds.add(k);
        }
        return new Directive.Log(c.loc, kinds);
    }

    private static Directive broadcast(Ctx c) throws ConfigException {
        List<String> w = Words.of(c.args).remainingList();
        if (w.size() < 2 || w.size() > 3) {
            throw c.parseError();
        }
        int interval = Scan.intPrefix(w.get(0)).orElseThrow(c::parseError).value();
        IpAddress ip = IpAddress.parse(w.get(1)).orElseThrow(c::parseError);
        int port = w.size() == 3 ? Scan.intPrefix(w.get(2)).orElseThrow(c::parseError).value()
                : SourceOptions.DEFAULT_PORT;
        return new Directive.Broadcast(c.loc, interval, ip, port);
    }

    private static Directive smoothTime(Ctx c) throws ConfigException {
        if (c.argCount() != 3) {
            c.checkArgs(2);
        }
        String[] w = c.args.split(" ");
        Scan.Cursor s = new Scan.Cursor(c.args);  // sscanf("%lf %lf")
        double maxFreq = s.nextDouble().orElseThrow(c::parseError);
        double maxWander = s.nextDouble().orElseThrow(c::parseError);
        boolean leapOnly = false;
        if (w.length == 3) {
            if (!asciiLower(w[2]).equals("leaponly")) {
                throw c.parseError();
            }
            leapOnly = true;
        }
        return new Directive.SmoothTime(c.loc, maxFreq, maxWander, leapOnly);
    }

    private static Directive tempComp(Ctx c) throws ConfigException {
        boolean pointForm = c.argCount() == 3;
        if (!pointForm) {
            c.checkArgs(6);
        }
        String[] w = c.args.split(" ");
        Scan.Cursor s = new Scan.Cursor(c.args.substring(w[0].length()));
        double interval = s.nextDouble().orElseThrow(c::parseError);
        if (pointForm) {
            return new Directive.TempComp(c.loc, w[0], interval, Optional.of(w[2]), 0, 0, 0, 0);
        }
        // sscanf("%lf %lf %lf %lf %lf") over the words after the sensor file
        double t0 = s.nextDouble().orElseThrow(c::parseError);
        double k0 = s.nextDouble().orElseThrow(c::parseError);
        double k1 = s.nextDouble().orElseThrow(c::parseError);
        double k2 = s.nextDouble().orElseThrow(c::parseError);
        return new Directive.TempComp(c.loc, w[0], interval, Optional.empty(), t0, k0, k1, k2);
    }

    private static Directive hwTimestamp(Ctx c) throws ConfigException {
        Words w = Words.of(c.args);
        if (!w.hasNext()) {
            throw c.parseError();
        }
        String iface = w.next();
        int minPoll = 0;
        Integer maxPoll = null;
        int minSamples = 2;
        int maxSamples = 16;
        double precision = 100e-9;
        double txComp = 0;
        double rxComp = 0;
        Directive.RxFilter filter = Directive.RxFilter.ANY;
        boolean noCross = false;
        while (w.hasNext()) {
            String o = asciiLower(w.next());
            String val = w.peek();
            switch (o) {
                case "maxsamples", "minpoll", "maxpoll", "minsamples" -> {
                    boolean poll = o.endsWith("poll");
                    Prefix<Integer> p = Scan.intPrefix(val).orElseThrow(c::parseError);
                    if (poll ? (p.value() < -32 || p.value() > 32) : p.value() < 0) {
                        throw c.parseError();
                    }
                    switch (o) {
                        case "maxsamples" -> maxSamples = p.value();
                        case "minpoll" -> minPoll = p.value();
                        case "maxpoll" -> maxPoll = p.value();
                        default -> minSamples = p.value();
                    }
                    w.consume(p.rest());
                }
                case "precision", "rxcomp", "txcomp" -> {
                    Prefix<Double> p = Scan.doublePrefix(val).orElseThrow(c::parseError);
                    switch (o) {
                        case "precision" -> precision = p.value();
                        case "rxcomp" -> rxComp = p.value();
                        default -> txComp = p.value();
                    }
                    w.consume(p.rest());
                }
                case "rxfilter" -> {
                    filter = switch (asciiLower(val)) {
                        case "none" -> Directive.RxFilter.NONE;
                        case "ntp" -> Directive.RxFilter.NTP;
                        case "ptp" -> Directive.RxFilter.PTP;
                        case "all" -> Directive.RxFilter.ALL;
                        default -> throw c.parseError();
                    };
                    w.consume("");
                }
                case "nocrossts" -> noCross = true;
                default -> throw c.parseError();
            }
        }
        return new Directive.HwTimestamp(c.loc, iface, minPoll, maxPoll != null ? maxPoll : minPoll + 1,
                minSamples, maxSamples, precision, txComp, rxComp, filter, noCross);
    }

    private static Directive openCommands(Ctx c) throws ConfigException {
        Set<Directive.OpenCommand> cmds = EnumSet.noneOf(Directive.OpenCommand.class);
        for (String w : Words.of(c.args).remainingList()) {
            Directive.OpenCommand oc = null;
            for (Directive.OpenCommand k : Directive.OpenCommand.values()) {
                if (k.word().equals(asciiLower(w))) {
                    oc = k;
                }
            }
            if (oc == null) {
                throw c.parseError();
            }
            cmds.add(oc);
        }
        return new Directive.OpenCommands(c.loc, cmds);
    }

    // ---------------------------------------------------------------- helpers

    /** One line being parsed: its location, directive word and arguments. */
    private record Ctx(SourceLocation loc, String command, String args) {
        ConfigException parseError() {
            return new ConfigException(loc, "Could not parse " + command + " directive");
        }

        ConfigException refclockValue(String opt, String val) {
            return new ConfigException(loc, "Invalid value in " + command + " directive ("
                    + (val.isEmpty() ? opt + " without a value" : opt + " " + val) + ")");
        }

        int argCount() {
            return args.isEmpty() ? 0 : args.split(" ").length;
        }

        void checkArgs(int expected) throws ConfigException {
            int n = argCount();
            if (n < expected) {
                throw new ConfigException(loc, "Missing arguments for " + command + " directive");
            }
            if (n > expected) {
                throw new ConfigException(loc, "Too many arguments for " + command + " directive");
            }
        }

        String stringArg() throws ConfigException {
            checkArgs(1);
            return args;
        }

        int intArg(long min, long max) throws ConfigException {
            checkArgs(1);
            return intWord(args, min, max);
        }

        int intWord(String word, long min, long max) throws ConfigException {
            long v = Scan.wholeLong(word).orElseThrow(this::parseError);
            if (v < min || v > max) {
                throw new ConfigException(loc, "Invalid value " + v + " in " + command + " directive (min "
                        + min + ", max " + max + ")");
            }
            return (int) v;
        }

        double doubleArg() throws ConfigException {
            checkArgs(1);
            return doublePrefix(args);
        }

        double doublePrefix(String word) throws ConfigException {
            return Scan.doublePrefix(word).orElseThrow(this::parseError).value();
        }

        int intPrefix(String word) throws ConfigException {
            return Scan.intPrefix(word).orElseThrow(this::parseError).value();
        }

        List<String> directories() throws ConfigException {
            List<String> dirs = Words.of(args).remainingList();
            if (dirs.isEmpty() || dirs.size() > 10) {
                throw parseError();
            }
            return dirs;
        }
    }
}
