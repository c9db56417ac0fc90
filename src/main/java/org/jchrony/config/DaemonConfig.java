package org.jchrony.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.jchrony.config.Directive.Access;
import org.jchrony.config.Directive.AuthSelectMode;
import org.jchrony.config.Directive.Broadcast;
import org.jchrony.config.Directive.HwTimestamp;
import org.jchrony.config.Directive.InitStepSlew;
import org.jchrony.config.Directive.LeapSecMode;
import org.jchrony.config.Directive.Local;
import org.jchrony.config.Directive.LogKind;
import org.jchrony.config.Directive.MailOnChange;
import org.jchrony.config.Directive.MaxChange;
import org.jchrony.config.Directive.NtpSource;
import org.jchrony.config.Directive.OpenCommand;
import org.jchrony.config.Directive.Refclock;
import org.jchrony.config.Directive.SmoothTime;
import org.jchrony.config.Directive.SourceDir;
import org.jchrony.config.Directive.TempComp;

/**
 * Every effective chronyd setting after applying a configuration to chronyd 4.8's defaults.
 * Directives apply in order; a later single-valued directive replaces an earlier one, as in
 * chronyd. {@code bindaddress}/{@code bindacqaddress}/{@code bindcmdaddress} set the address
 * of their family only (IPv4 and IPv6 are kept separately, so {@code bindcmdaddress 0.0.0.0}
 * keeps the ::1 default). Built once with {@link #from(ParseResult)}; immutable.
 *
 * @param ntpPort {@code port}, default 123 (0 = no NTP server socket)
 * @param acquisitionPort {@code acquisitionport}; empty = chronyd's default (a random port per source)
 * @param bindAddress4 {@code bindaddress} IPv4, default 0.0.0.0 (any)
 * @param bindAddress6 {@code bindaddress} IPv6, default :: (any)
 * @param bindAcqAddress4 {@code bindacqaddress} IPv4, default 0.0.0.0
 * @param bindAcqAddress6 {@code bindacqaddress} IPv6, default ::
 * @param bindDevice {@code binddevice}
 * @param bindAcqDevice {@code bindacqdevice}
 * @param dscp {@code dscp}, default 0
 * @param cmdPort {@code cmdport}, default 323 (0 = no UDP command socket)
 * @param bindCmdAddress4 default 127.0.0.1
 * @param bindCmdAddress6 default ::1
 * @param bindCmdSocket Unix command socket path, default from {@link BuildDefaults}; empty if disabled by {@code /}
 * @param bindCmdDevice {@code bindcmddevice}
 * @param openCommands chronyc commands served to UDP clients, default activity manual rtcdata
 *     smoothing sourcename sources sourcestats tracking
 * @param ntpAccess allow/deny rules in order (none = no NTP clients served)
 * @param cmdAccess cmdallow/cmddeny rules in order (localhost is always allowed by chronyd)
 * @param ntpRateLimit {@code ratelimit}
 * @param ntsRateLimit {@code ntsratelimit}
 * @param cmdRateLimit {@code cmdratelimit}
 * @param noClientLog {@code noclientlog}
 * @param clientLogLimitBytes {@code clientloglimit}, default 524288
 * @param sources server/pool/peer directives of the configuration, in order
 * @param refclocks refclock directives
 * @param sourceDirs sourcedir directives (reload with {@link ConfigParser#loadSourceDirs})
 * @param sourceDirSources sources read from sourcedir files at parse time
 * @param initStepSlew {@code initstepslew}
 * @param refreshSeconds {@code refresh}, default 1209600 (2 weeks; 0 = never)
 * @param manual {@code manual}
 * @param authSelectMode default MIX
 * @param maxDistanceSeconds default 3
 * @param maxJitterSeconds default 1
 * @param minSources default 1
 * @param combineLimit default 3
 * @param reselectDistanceSeconds default 1e-4
 * @param stratumWeightSeconds default 1e-3
 * @param minSamples global {@code minsamples}, default 6
 * @param maxSamples global {@code maxsamples}, default 0 (no limit)
 * @param driftFile {@code driftfile}
 * @param driftFileIntervalSeconds default 3600
 * @param makeStepThresholdSeconds {@code makestep} threshold, 0 with limit 0 when not given
 * @param makeStepLimit clock updates in which a step is allowed; 0 = never step, negative = always
 * @param maxChange {@code maxchange}
 * @param maxSlewRatePpm default 1e6/12
 * @param maxUpdateSkewPpm default 1000
 * @param corrTimeRatio default 3
 * @param maxClockErrorPpm default 1
 * @param maxDriftPpm default 500000
 * @param clockPrecisionSeconds {@code clockprecision}, default 0 (measure)
 * @param fallbackDriftMinLog2 {@code fallbackdrift} min, 0 with max 0 = disabled
 * @param fallbackDriftMaxLog2 {@code fallbackdrift} max
 * @param local {@code local}
 * @param smoothTime {@code smoothtime}
 * @param tempComp {@code tempcomp}
 * @param leapSecMode default SYSTEM
 * @param leapSecTz {@code leapsectz}
 * @param leapSecList {@code leapseclist}
 * @param rtcSync {@code rtcsync}
 * @param rtcFile {@code rtcfile}
 * @param rtcDevice default /dev/rtc
 * @param rtcOnUtc {@code rtconutc}
 * @param hwclockFile default from {@link BuildDefaults} ("" = none)
 * @param rtcAutotrimSeconds {@code rtcautotrim}, default 0 (off)
 * @param logs {@code log} kinds (union of all log directives)
 * @param logDir {@code logdir}
 * @param logBanner default 32
 * @param logChangeSeconds {@code logchange}, default 1
 * @param mailOnChange {@code mailonchange}
 * @param pidFile default from {@link BuildDefaults}; empty if disabled by {@code pidfile /}
 * @param keyFile {@code keyfile}
 * @param dumpDir {@code dumpdir}
 * @param user default from {@link BuildDefaults}
 * @param lockAll {@code lock_all}
 * @param schedPriority {@code sched_priority}, default 0
 * @param broadcasts {@code broadcast} destinations
 * @param hwTimestamps {@code hwtimestamp} interfaces
 * @param hwtsTimeoutSeconds default 0.001
 * @param ptpPort default 0 (disabled)
 * @param ptpDomain default 123
 * @param nts NTS settings
 * @param ntpSignDSocket {@code ntpsigndsocket}
 * @param metricsPort jchrony's {@code metricsport}, default 0 (no metrics endpoint)
 * @param metricsBindAddress jchrony's {@code metricsbindaddress}, default 127.0.0.1
 * @param warnings the parse warnings, for the daemon to log
 */
public record DaemonConfig(
        int ntpPort,
        OptionalInt acquisitionPort,
        IpAddress bindAddress4,
        IpAddress bindAddress6,
        IpAddress bindAcqAddress4,
        IpAddress bindAcqAddress6,
        Optional<String> bindDevice,
        Optional<String> bindAcqDevice,
        int dscp,
        int cmdPort,
        IpAddress bindCmdAddress4,
        IpAddress bindCmdAddress6,
        Optional<String> bindCmdSocket,
        Optional<String> bindCmdDevice,
        Set<OpenCommand> openCommands,
        List<Access> ntpAccess,
        List<Access> cmdAccess,
        RateLimitSettings ntpRateLimit,
        RateLimitSettings ntsRateLimit,
        RateLimitSettings cmdRateLimit,
        boolean noClientLog,
        long clientLogLimitBytes,
        List<NtpSource> sources,
        List<Refclock> refclocks,
        List<SourceDir> sourceDirs,
        List<NtpSource> sourceDirSources,
        Optional<InitStepSlew> initStepSlew,
        int refreshSeconds,
        boolean manual,
        AuthSelectMode authSelectMode,
        double maxDistanceSeconds,
        double maxJitterSeconds,
        int minSources,
        double combineLimit,
        double reselectDistanceSeconds,
        double stratumWeightSeconds,
        int minSamples,
        int maxSamples,
        Optional<String> driftFile,
        int driftFileIntervalSeconds,
        double makeStepThresholdSeconds,
        int makeStepLimit,
        Optional<MaxChange> maxChange,
        double maxSlewRatePpm,
        double maxUpdateSkewPpm,
        double corrTimeRatio,
        double maxClockErrorPpm,
        double maxDriftPpm,
        double clockPrecisionSeconds,
        int fallbackDriftMinLog2,
        int fallbackDriftMaxLog2,
        Optional<Local> local,
        Optional<SmoothTime> smoothTime,
        Optional<TempComp> tempComp,
        LeapSecMode leapSecMode,
        Optional<String> leapSecTz,
        Optional<String> leapSecList,
        boolean rtcSync,
        Optional<String> rtcFile,
        String rtcDevice,
        boolean rtcOnUtc,
        String hwclockFile,
        double rtcAutotrimSeconds,
        Set<LogKind> logs,
        Optional<String> logDir,
        int logBanner,
        double logChangeSeconds,
        Optional<MailOnChange> mailOnChange,
        Optional<String> pidFile,
        Optional<String> keyFile,
        Optional<String> dumpDir,
        String user,
        boolean lockAll,
        int schedPriority,
        List<Broadcast> broadcasts,
        List<HwTimestamp> hwTimestamps,
        double hwtsTimeoutSeconds,
        int ptpPort,
        int ptpDomain,
        NtsSettings nts,
        Optional<String> ntpSignDSocket,
        int metricsPort,
        IpAddress metricsBindAddress,
        List<String> warnings) {

    /** chronyd's default NTP port. */
    public static final int DEFAULT_NTP_PORT = 123;
    /** chronyd's default command port. */
    public static final int DEFAULT_CMD_PORT = 323;

    public DaemonConfig {
        openCommands = Set.copyOf(openCommands);
        ntpAccess = List.copyOf(ntpAccess);
        cmdAccess = List.copyOf(cmdAccess);
        sources = List.copyOf(sources);
        refclocks = List.copyOf(refclocks);
        sourceDirs = List.copyOf(sourceDirs);
        sourceDirSources = List.copyOf(sourceDirSources);
        logs = Set.copyOf(logs);
        broadcasts = List.copyOf(broadcasts);
        hwTimestamps = List.copyOf(hwTimestamps);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(nts);
    }

    /** The effective configuration for Debian's build defaults. */
    public static DaemonConfig from(ParseResult parsed) throws ConfigException {
        return from(parsed, BuildDefaults.DEBIAN);
    }

    /** chronyd's defaults with no configuration at all. */
    public static DaemonConfig defaults(BuildDefaults build) {
        try {
            return from(new ParseResult(List.of(), List.of(), List.of(), List.of()), build);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Applies the parsed directives, in order, to chronyd's defaults, then refuses the
     * combinations chronyd refuses at start: rate limiting with {@code noclientlog}
     * ("Rate limiting cannot be enabled with noclientlog") and {@code rtcfile} with
     * {@code rtcsync} ("rtcfile directive cannot be used with rtcsync"), and a {@code tai}
     * refclock without {@code leapsectz}/{@code leapseclist}. The error names the later of two
     * conflicting directives (the refclock for the last one).
     */
    public static DaemonConfig from(ParseResult parsed, BuildDefaults build) throws ConfigException {
        return from(parsed, build, false);
    }

    /**
     * As {@link #from(ParseResult, BuildDefaults)}; {@code restarted} is chronyd's {@code -R}:
     * {@code initstepslew} is ignored and a positive {@code makestep} limit becomes 0 (no steps).
     */
    public static DaemonConfig from(ParseResult parsed, BuildDefaults build, boolean restarted)
            throws ConfigException {
        Builder b = new Builder(build);
        Directive noClientLog = null;
        Directive rateLimit = null;
        Directive rtcFile = null;
        Directive rtcSync = null;
        for (Directive d : parsed.directives()) {
            b.apply(d);
            switch (d.keyword()) {
                case NOCLIENTLOG -> noClientLog = d;
                case RATELIMIT, NTSRATELIMIT, CMDRATELIMIT -> rateLimit = d;
                case RTCFILE -> rtcFile = d;
                case RTCSYNC -> rtcSync = d;
                default -> {
                }
            }
            if (noClientLog != null && rateLimit != null) {
                throw new ConfigException(d.location(), "Rate limiting cannot be enabled with noclientlog");
            }
            if (rtcFile != null && rtcSync != null) {
                throw new ConfigException(d.location(), "rtcfile directive cannot be used with rtcsync");
            }
        }
        if (restarted) {
            b.initStepSlew = Optional.empty();
            if (b.makeStepLimit > 0) {
                b.makeStepLimit = 0;
            }
        }
        for (Refclock r : b.refclocks) {
            if (r.options().tai() && b.leapSecList.isEmpty() && b.leapSecTz.isEmpty()) {
                throw new ConfigException(r.location(), "refclock tai option requires leapseclist or leapsectz");
            }
        }
        b.sourceDirSources.addAll(parsed.sourceDirSources());
        b.warnings.addAll(parsed.warnings());
        return b.build();
    }

    /** All sources: configuration sources followed by those read from sourcedir files. */
    public List<NtpSource> allSources() {
        List<NtpSource> all = new ArrayList<>(sources);
        all.addAll(sourceDirSources);
        return List.copyOf(all);
    }

    /** A source's {@code minsamples}, falling back to the global {@code minsamples}. */
    public int effectiveMinSamples(SourceOptions options) {
        return options.minSamples().orElse(minSamples);
    }

    /** A source's {@code maxsamples}, falling back to the global {@code maxsamples} (0 = no limit). */
    public int effectiveMaxSamples(SourceOptions options) {
        return options.maxSamples().orElse(maxSamples);
    }

    /** True if a {@code makestep} directive allows steps at all (limit not 0). */
    public boolean makeStepEnabled() {
        return makeStepLimit != 0;
    }

    private static final class Builder {
        int ntpPort = DEFAULT_NTP_PORT;
        OptionalInt acquisitionPort = OptionalInt.empty();
        IpAddress bindAddress4 = IpAddress.parse("0.0.0.0").orElseThrow();
        IpAddress bindAddress6 = IpAddress.parse("::").orElseThrow();
        IpAddress bindAcqAddress4 = bindAddress4;
        IpAddress bindAcqAddress6 = bindAddress6;
        Optional<String> bindDevice = Optional.empty();
        Optional<String> bindAcqDevice = Optional.empty();
        int dscp;
        int cmdPort = DEFAULT_CMD_PORT;
        IpAddress bindCmdAddress4 = IpAddress.ipv4Loopback();
        IpAddress bindCmdAddress6 = IpAddress.ipv6Loopback();
        Optional<String> bindCmdSocket;
        Optional<String> bindCmdDevice = Optional.empty();
        Set<OpenCommand> openCommands = EnumSet.of(OpenCommand.ACTIVITY, OpenCommand.MANUAL, OpenCommand.RTCDATA,
                OpenCommand.SMOOTHING, OpenCommand.SOURCENAME, OpenCommand.SOURCES, OpenCommand.SOURCESTATS,
                OpenCommand.TRACKING);
        final List<Access> ntpAccess = new ArrayList<>();
        final List<Access> cmdAccess = new ArrayList<>();
        RateLimitSettings ntpRateLimit = RateLimitSettings.NTP_DEFAULT;
        RateLimitSettings ntsRateLimit = RateLimitSettings.NTS_DEFAULT;
        RateLimitSettings cmdRateLimit = RateLimitSettings.CMD_DEFAULT;
        boolean noClientLog;
        long clientLogLimitBytes = 524288;
        final List<NtpSource> sources = new ArrayList<>();
        final List<Refclock> refclocks = new ArrayList<>();
        final List<SourceDir> sourceDirs = new ArrayList<>();
        final List<NtpSource> sourceDirSources = new ArrayList<>();
        Optional<InitStepSlew> initStepSlew = Optional.empty();
        int refreshSeconds = 1209600;
        boolean manual;
        AuthSelectMode authSelectMode = AuthSelectMode.MIX;
        double maxDistanceSeconds = 3.0;
        double maxJitterSeconds = 1.0;
        int minSources = 1;
        double combineLimit = 3.0;
        double reselectDistanceSeconds = 1e-4;
        double stratumWeightSeconds = 1e-3;
        int minSamples = 6;
        int maxSamples;
        Optional<String> driftFile = Optional.empty();
        int driftFileIntervalSeconds = 3600;
        double makeStepThresholdSeconds;
        int makeStepLimit;
        Optional<MaxChange> maxChange = Optional.empty();
        double maxSlewRatePpm = 1e6 / 12.0;
        double maxUpdateSkewPpm = 1000.0;
        double corrTimeRatio = 3.0;
        double maxClockErrorPpm = 1.0;
        double maxDriftPpm = 500000.0;
        double clockPrecisionSeconds;
        int fallbackDriftMinLog2;
        int fallbackDriftMaxLog2;
        Optional<Local> local = Optional.empty();
        Optional<SmoothTime> smoothTime = Optional.empty();
        Optional<TempComp> tempComp = Optional.empty();
        LeapSecMode leapSecMode = LeapSecMode.SYSTEM;
        Optional<String> leapSecTz = Optional.empty();
        Optional<String> leapSecList = Optional.empty();
        boolean rtcSync;
        Optional<String> rtcFile = Optional.empty();
        String rtcDevice;
        boolean rtcOnUtc;
        String hwclockFile;
        double rtcAutotrimSeconds;
        final Set<LogKind> logs = EnumSet.noneOf(LogKind.class);
        Optional<String> logDir = Optional.empty();
        int logBanner = 32;
        double logChangeSeconds = 1.0;
        Optional<MailOnChange> mailOnChange = Optional.empty();
        Optional<String> pidFile;
        Optional<String> keyFile = Optional.empty();
        Optional<String> dumpDir = Optional.empty();
        String user;
        boolean lockAll;
        int schedPriority;
        final List<Broadcast> broadcasts = new ArrayList<>();
        final List<HwTimestamp> hwTimestamps = new ArrayList<>();
        double hwtsTimeoutSeconds = 0.001;
        int ptpPort;
        int ptpDomain = 123;
        List<Integer> ntsAeads = List.of(30, 15);
        Optional<String> ntsDumpDir = Optional.empty();
        Optional<String> ntsNtpServer = Optional.empty();
        final List<String> ntsServerCerts = new ArrayList<>();
        final List<String> ntsServerKeys = new ArrayList<>();
        int ntsPort = 4460;
        int ntsProcesses = 1;
        int maxNtsConnections = 100;
        int ntsRefreshSeconds = 2419200;
        int ntsRotateSeconds = 604800;
        final List<Directive.NtsTrustedCerts> ntsTrustedCerts = new ArrayList<>();
        int noCertTimeCheck;
        boolean noSystemCert;
        Optional<String> ntpSignDSocket = Optional.empty();
        int metricsPort = 0;
        IpAddress metricsBindAddress = IpAddress.ipv4Loopback();
        final List<String> warnings = new ArrayList<>();

        Builder(BuildDefaults build) {
            bindCmdSocket = Optional.of(build.commandSocket());
            pidFile = Optional.of(build.pidFile());
            user = build.user();
            hwclockFile = build.hwclockFile();
            rtcDevice = build.rtcDevice();
        }

        void apply(Directive d) {
            switch (d) {
                case NtpSource s -> sources.add(s);
                case Refclock r -> refclocks.add(r);
                case InitStepSlew i -> initStepSlew = Optional.of(i);
                case Access a -> (a.command() ? cmdAccess : ntpAccess).add(a);
                case Directive.Port p -> {
                    switch (p.keyword()) {
                        case PORT -> ntpPort = p.port();
                        case CMDPORT -> cmdPort = p.port();
                        case ACQUISITIONPORT -> acquisitionPort = OptionalInt.of(p.port());
                        case NTSPORT -> ntsPort = p.port();
                        case PTPPORT -> ptpPort = p.port();
                        case METRICSPORT -> metricsPort = p.port();
                        default -> throw unexpected(d);
                    }
                }
                case Directive.IntSetting i -> {
                    int v = i.value();
                    switch (i.keyword()) {
                        case DSCP -> dscp = v;
                        case LOGBANNER -> logBanner = v;
                        case MAXSAMPLES -> maxSamples = v;
                        case MINSAMPLES -> minSamples = v;
                        case MINSOURCES -> minSources = v;
                        case MAXNTSCONNECTIONS -> maxNtsConnections = v;
                        case NOCERTTIMECHECK -> noCertTimeCheck = v;
                        case NTSPROCESSES -> ntsProcesses = v;
                        case NTSREFRESH -> ntsRefreshSeconds = v;
                        case NTSROTATE -> ntsRotateSeconds = v;
                        case PTPDOMAIN -> ptpDomain = v;
                        case REFRESH -> refreshSeconds = v;
                        case SCHED_PRIORITY -> schedPriority = v;
                        default -> throw unexpected(d);
                    }
                }
                case Directive.RealSetting r -> {
                    double v = r.value();
                    switch (r.keyword()) {
                        case CLOCKPRECISION -> clockPrecisionSeconds = v;
                        case COMBINELIMIT -> combineLimit = v;
                        case CORRTIMERATIO -> corrTimeRatio = v;
                        case HWTSTIMEOUT -> hwtsTimeoutSeconds = v;
                        case LOGCHANGE -> logChangeSeconds = v;
                        case MAXCLOCKERROR -> maxClockErrorPpm = v;
                        case MAXDISTANCE -> maxDistanceSeconds = v;
                        case MAXDRIFT -> maxDriftPpm = v;
                        case MAXJITTER -> maxJitterSeconds = v;
                        case MAXSLEWRATE -> maxSlewRatePpm = v;
                        case MAXUPDATESKEW -> maxUpdateSkewPpm = v;
                        case RESELECTDIST -> reselectDistanceSeconds = v;
                        case RTCAUTOTRIM -> rtcAutotrimSeconds = v;
                        case STRATUMWEIGHT -> stratumWeightSeconds = v;
                        default -> throw unexpected(d);
                    }
                }
                case Directive.TextSetting t -> {
                    Optional<String> v = Optional.of(t.value());
                    switch (t.keyword()) {
                        case BINDACQDEVICE -> bindAcqDevice = v;
                        case BINDCMDDEVICE -> bindCmdDevice = v;
                        case BINDDEVICE -> bindDevice = v;
                        case DUMPDIR -> dumpDir = v;
                        case HWCLOCKFILE -> hwclockFile = t.value();
                        case KEYFILE -> keyFile = v;
                        case LEAPSECTZ -> leapSecTz = v;
                        case LEAPSECLIST -> leapSecList = v;
                        case LOGDIR -> logDir = v;
                        case NTPSIGNDSOCKET -> ntpSignDSocket = v;
                        case NTSCACHEDIR, NTSDUMPDIR -> ntsDumpDir = v;
                        case NTSNTPSERVER -> ntsNtpServer = v;
                        case NTSSERVERCERT -> ntsServerCerts.add(t.value());
                        case NTSSERVERKEY -> ntsServerKeys.add(t.value());
                        case PIDFILE -> pidFile = t.value().equals("/") ? Optional.empty() : v;
                        case RTCDEVICE -> rtcDevice = t.value();
                        case RTCFILE -> rtcFile = v;
                        case USER -> user = t.value();
                        default -> throw unexpected(d);
                    }
                }
                case Directive.Flag f -> {
                    switch (f.keyword()) {
                        case LOCK_ALL -> lockAll = true;
                        case MANUAL -> manual = true;
                        case NOCLIENTLOG -> noClientLog = true;
                        case NOSYSTEMCERT -> noSystemCert = true;
                        case RTCONUTC -> rtcOnUtc = true;
                        case RTCSYNC -> rtcSync = true;
                        default -> throw unexpected(d);
                    }
                }
                case Directive.BindAddress ba -> {
                    boolean v4 = ba.address().family() == IpAddress.Family.INET4;
                    switch (ba.keyword()) {
                        case BINDADDRESS -> {
                            if (v4) {
                                bindAddress4 = ba.address();
                            } else {
                                bindAddress6 = ba.address();
                            }
                        }
                        case BINDACQADDRESS -> {
                            if (v4) {
                                bindAcqAddress4 = ba.address();
                            } else {
                                bindAcqAddress6 = ba.address();
                            }
                        }
                        case METRICSBINDADDRESS -> metricsBindAddress = ba.address();
                        case BINDCMDADDRESS -> {
                            if (v4) {
                                bindCmdAddress4 = ba.address();
                            } else {
                                bindCmdAddress6 = ba.address();
                            }
                        }
                        default -> throw unexpected(d);
                    }
                }
                case Directive.BindCommandSocket s -> bindCmdSocket = s.path();
                case Directive.RateLimit r -> {
                    switch (r.keyword()) {
                        case RATELIMIT -> ntpRateLimit = ntpRateLimit.with(r);
                        case NTSRATELIMIT -> ntsRateLimit = ntsRateLimit.with(r);
                        case CMDRATELIMIT -> cmdRateLimit = cmdRateLimit.with(r);
                        default -> throw unexpected(d);
                    }
                }
                case Directive.DriftFile f -> {
                    driftFile = Optional.of(f.path());
                    driftFileIntervalSeconds = f.intervalSeconds();
                }
                case Directive.MakeStep m -> {
                    makeStepThresholdSeconds = m.thresholdSeconds();
                    makeStepLimit = m.limit();
                }
                case MaxChange m -> maxChange = Optional.of(m);
                case Directive.FallbackDrift f -> {
                    fallbackDriftMinLog2 = f.minIntervalLog2();
                    fallbackDriftMaxLog2 = f.maxIntervalLog2();
                }
                case Local l -> local = Optional.of(l);
                case Directive.Log l -> {
                    logs.addAll(l.kinds());
                    if (l.kinds().contains(LogKind.RAWMEASUREMENTS)) {
                        logs.add(LogKind.MEASUREMENTS);
                    }
                }
                case Directive.LeapSecModeSetting m -> leapSecMode = m.mode();
                case Directive.AuthSelectModeSetting m -> authSelectMode = m.mode();
                case Directive.ClientLogLimit c -> clientLogLimitBytes = c.bytes();
                case Broadcast bc -> broadcasts.add(bc);
                case SmoothTime s -> smoothTime = Optional.of(s);
                case TempComp t -> tempComp = Optional.of(t);
                case HwTimestamp h -> hwTimestamps.add(h);
                case MailOnChange m -> mailOnChange = Optional.of(m);
                case Directive.NtsTrustedCerts n -> ntsTrustedCerts.add(n);
                case Directive.NtsAeads n -> ntsAeads = n.aeadIds();
                case Directive.OpenCommands o -> openCommands = o.commands().isEmpty()
                        ? EnumSet.noneOf(OpenCommand.class) : EnumSet.copyOf(o.commands());
                case SourceDir s -> sourceDirs.add(s);
                case Directive.Include i -> {
                    // already expanded by the parser
                }
                case Directive.ConfDir c -> {
                    // already expanded by the parser
                }
                case Directive.Obsolete o -> {
                    // nothing to apply
                }
            }
        }

        private static IllegalStateException unexpected(Directive d) {
            return new IllegalStateException("directive record/keyword mismatch: " + d);
        }

        DaemonConfig build() {
            NtsSettings nts = new NtsSettings(ntsAeads, ntsDumpDir, ntsNtpServer, ntsServerCerts, ntsServerKeys,
                    ntsPort, ntsProcesses, maxNtsConnections, ntsRefreshSeconds, ntsRotateSeconds, ntsTrustedCerts,
                    noCertTimeCheck, noSystemCert);
            return new DaemonConfig(ntpPort, acquisitionPort, bindAddress4, bindAddress6, bindAcqAddress4,
                    bindAcqAddress6, bindDevice, bindAcqDevice, dscp, cmdPort, bindCmdAddress4, bindCmdAddress6,
                    bindCmdSocket, bindCmdDevice, openCommands, ntpAccess, cmdAccess, ntpRateLimit, ntsRateLimit,
                    cmdRateLimit, noClientLog, clientLogLimitBytes, sources, refclocks, sourceDirs, sourceDirSources,
                    initStepSlew, refreshSeconds, manual, authSelectMode, maxDistanceSeconds, maxJitterSeconds,
                    minSources, combineLimit, reselectDistanceSeconds, stratumWeightSeconds, minSamples, maxSamples,
                    driftFile, driftFileIntervalSeconds, makeStepThresholdSeconds, makeStepLimit, maxChange,
                    maxSlewRatePpm, maxUpdateSkewPpm, corrTimeRatio, maxClockErrorPpm, maxDriftPpm,
                    clockPrecisionSeconds, fallbackDriftMinLog2, fallbackDriftMaxLog2, local, smoothTime, tempComp,
                    leapSecMode, leapSecTz, leapSecList, rtcSync, rtcFile, rtcDevice, rtcOnUtc, hwclockFile,
                    rtcAutotrimSeconds, logs, logDir, logBanner, logChangeSeconds, mailOnChange, pidFile, keyFile,
                    dumpDir, user, lockAll, schedPriority, broadcasts, hwTimestamps, hwtsTimeoutSeconds, ptpPort,
                    ptpDomain, nts, ntpSignDSocket, metricsPort, metricsBindAddress, warnings);
        }
    }
}
