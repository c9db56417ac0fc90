package org.jchrony.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One parsed, validated chrony.conf line. Every record carries where it came from and the
 * {@link Keyword} it was written as; directives of identical shape (one port, one path, one
 * number, a flag) share a record and are told apart by their keyword.
 */
public sealed interface Directive {
    SourceLocation location();

    Keyword keyword();

    /** {@code server}, {@code pool} or {@code peer}: the name is kept unresolved. */
    record NtpSource(SourceLocation location, SourceType type, String name, SourceOptions options)
            implements Directive {
        public NtpSource {
            Objects.requireNonNull(location);
            Objects.requireNonNull(type);
            Objects.requireNonNull(name);
            Objects.requireNonNull(options);
        }

        @Override
        public Keyword keyword() {
            return switch (type) {
                case SERVER -> Keyword.SERVER;
                case POOL -> Keyword.POOL;
                case PEER -> Keyword.PEER;
            };
        }
    }

    /** Kind of NTP source. */
    enum SourceType { SERVER, POOL, PEER }

    /** {@code refclock DRIVER PARAMETER [options]}. */
    record Refclock(SourceLocation location, String driver, String parameter, RefclockOptions options)
            implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.REFCLOCK;
        }
    }

    /** {@code initstepslew THRESHOLD [HOST...]}. */
    record InitStepSlew(SourceLocation location, double thresholdSeconds, List<String> hostnames)
            implements Directive {
        public InitStepSlew {
            hostnames = List.copyOf(hostnames);
        }

        @Override
        public Keyword keyword() {
            return Keyword.INITSTEPSLEW;
        }
    }

    /**
     * {@code allow}/{@code deny} (NTP) and {@code cmdallow}/{@code cmddeny} (command port).
     * {@code all} means the rule also replaces earlier rules for smaller subnets inside it.
     */
    record Access(SourceLocation location, Keyword keyword, boolean allow, boolean all, Subnet subnet)
            implements Directive {
        public Access {
            if (keyword != Keyword.ALLOW && keyword != Keyword.DENY
                    && keyword != Keyword.CMDALLOW && keyword != Keyword.CMDDENY) {
                throw new IllegalArgumentException("not an access directive: " + keyword);
            }
        }

        /** True for cmdallow/cmddeny. */
        public boolean command() {
            return keyword == Keyword.CMDALLOW || keyword == Keyword.CMDDENY;
        }
    }

    /** {@code port}, {@code cmdport}, {@code acquisitionport}, {@code ntsport}, {@code ptpport}: 0..65535. */
    record Port(SourceLocation location, Keyword keyword, int port) implements Directive {
    }

    /** A directive with one integer argument (logbanner, minsources, dscp, refresh, ...). */
    record IntSetting(SourceLocation location, Keyword keyword, int value) implements Directive {
    }

    /** A directive with one real argument (maxupdateskew, maxdistance, reselectdist, ...). */
    record RealSetting(SourceLocation location, Keyword keyword, double value) implements Directive {
    }

    /** A directive with one word argument: a path, a device/interface, a user, a zone. */
    record TextSetting(SourceLocation location, Keyword keyword, String value) implements Directive {
    }

    /** A directive without arguments (rtcsync, manual, noclientlog, lock_all, ...). */
    record Flag(SourceLocation location, Keyword keyword) implements Directive {
    }

    /** {@code bindaddress}, {@code bindacqaddress}, {@code bindcmdaddress} with an IP address. */
    record BindAddress(SourceLocation location, Keyword keyword, IpAddress address) implements Directive {
    }

    /** {@code bindcmdaddress /path}: the Unix command socket; {@code /} disables it (empty). */
    record BindCommandSocket(SourceLocation location, Optional<String> path) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.BINDCMDADDRESS;
        }
    }

    /**
     * {@code ratelimit}, {@code ntsratelimit}, {@code cmdratelimit}: enables limiting; options
     * given override the defaults (−32..32 each; {@code kod} only for ratelimit).
     */
    record RateLimit(SourceLocation location, Keyword keyword, OptionalInt intervalLog2, OptionalInt burst,
                     OptionalInt leakLog2, OptionalInt kod) implements Directive {
    }

    /** {@code driftfile FILE [interval SECONDS]} (default interval 3600). */
    record DriftFile(SourceLocation location, String path, int intervalSeconds) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.DRIFTFILE;
        }
    }

    /** {@code makestep THRESHOLD LIMIT}: step if |offset| > threshold in the first LIMIT updates (−1 = always). */
    record MakeStep(SourceLocation location, double thresholdSeconds, int limit) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.MAKESTEP;
        }
    }

    /** {@code maxchange OFFSET START IGNORE}. */
    record MaxChange(SourceLocation location, double offsetSeconds, int start, int ignore) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.MAXCHANGE;
        }
    }

    /** {@code fallbackdrift MIN MAX} (intervals as log2 seconds). */
    record FallbackDrift(SourceLocation location, int minIntervalLog2, int maxIntervalLog2) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.FALLBACKDRIFT;
        }
    }

    /** {@code local [stratum N] [orphan] [distance D] [activate A] [waitsynced S] [waitunsynced U]}. */
    record Local(SourceLocation location, int stratum, boolean orphan, double distanceSeconds,
                 double activateSeconds, double waitSyncedSeconds, double waitUnsyncedSeconds)
            implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.LOCAL;
        }
    }

    /** Files {@code log} can write. */
    enum LogKind {
        MEASUREMENTS, RAWMEASUREMENTS, SELECTION, STATISTICS, TRACKING, RTC, REFCLOCKS, TEMPCOMP;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code log KIND...} (names are case-sensitive, as in chronyd). */
    record Log(SourceLocation location, Set<LogKind> kinds) implements Directive {
        public Log {
            kinds = Set.copyOf(kinds);
        }

        @Override
        public Keyword keyword() {
            return Keyword.LOG;
        }
    }

    /** Leap second handling modes. */
    enum LeapSecMode { SYSTEM, SLEW, STEP, IGNORE }

    record LeapSecModeSetting(SourceLocation location, LeapSecMode mode) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.LEAPSECMODE;
        }
    }

    /** Authentication selection modes. */
    enum AuthSelectMode { REQUIRE, PREFER, MIX, IGNORE }

    record AuthSelectModeSetting(SourceLocation location, AuthSelectMode mode) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.AUTHSELECTMODE;
        }
    }

    /** {@code clientloglimit BYTES}. */
    record ClientLogLimit(SourceLocation location, long bytes) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.CLIENTLOGLIMIT;
        }
    }

    /** {@code broadcast INTERVAL ADDRESS [PORT]}. */
    record Broadcast(SourceLocation location, int intervalSeconds, IpAddress address, int port) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.BROADCAST;
        }
    }

    /** {@code smoothtime MAX-FREQ MAX-WANDER [leaponly]}. */
    record SmoothTime(SourceLocation location, double maxFreqPpm, double maxWanderPpmPerSecond, boolean leapOnly)
            implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.SMOOTHTIME;
        }
    }

    /**
     * {@code tempcomp FILE INTERVAL T0 K0 K1 K2} or {@code tempcomp FILE INTERVAL POINTFILE}
     * (then the coefficients are 0 and {@code pointFile} is present).
     */
    record TempComp(SourceLocation location, String sensorFile, double intervalSeconds, Optional<String> pointFile,
                    double t0, double k0, double k1, double k2) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.TEMPCOMP;
        }
    }

    /** Receive filter of {@code hwtimestamp}. */
    enum RxFilter { ANY, NONE, NTP, PTP, ALL }

    /** {@code hwtimestamp INTERFACE [options]}; maxpoll defaults to minpoll + 1. */
    record HwTimestamp(SourceLocation location, String interfaceName, int minPollLog2, int maxPollLog2,
                       int minSamples, int maxSamples, double precisionSeconds, double txCompSeconds,
                       double rxCompSeconds, RxFilter rxFilter, boolean noCrossTimestamp) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.HWTIMESTAMP;
        }
    }

    /** {@code mailonchange ADDRESS THRESHOLD}. */
    record MailOnChange(SourceLocation location, String address, double thresholdSeconds) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.MAILONCHANGE;
        }
    }

    /** {@code ntstrustedcerts [SET-ID] PATH} (set 0 when not given). */
    record NtsTrustedCerts(SourceLocation location, long setId, String path) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.NTSTRUSTEDCERTS;
        }
    }

    /** {@code ntsaeads ID...} (default 30 15). */
    record NtsAeads(SourceLocation location, List<Integer> aeadIds) implements Directive {
        public NtsAeads {
            aeadIds = List.copyOf(aeadIds);
        }

        @Override
        public Keyword keyword() {
            return Keyword.NTSAEADS;
        }
    }

    /** chronyc commands {@code opencommands} opens to non-Unix-socket clients. */
    enum OpenCommand {
        ACTIVITY, AUTHDATA, CLIENTS, MANUAL, NTPDATA, RTCDATA, SELECTDATA, SERVERSTATS, SMOOTHING,
        SOURCENAME, SOURCES, SOURCESTATS, TRACKING;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code opencommands [COMMAND...]}: replaces the default set (empty = none open). */
    record OpenCommands(SourceLocation location, Set<OpenCommand> commands) implements Directive {
        public OpenCommands {
            commands = Set.copyOf(commands);
        }

        @Override
        public Keyword keyword() {
            return Keyword.OPENCOMMANDS;
        }
    }

    /** {@code include PATTERN} (already expanded: the included directives follow it). */
    record Include(SourceLocation location, String pattern) implements Directive {
        @Override
        public Keyword keyword() {
            return Keyword.INCLUDE;
        }
    }

    /** {@code confdir DIR...} (already expanded: the included directives follow it). */
    record ConfDir(SourceLocation location, List<String> directories) implements Directive {
        public ConfDir {
            directories = List.copyOf(directories);
        }

        @Override
        public Keyword keyword() {
            return Keyword.CONFDIR;
        }
    }

    /** {@code sourcedir DIR...}: *.sources files holding server/pool/peer lines, reloadable. */
    record SourceDir(SourceLocation location, List<String> directories) implements Directive {
        public SourceDir {
            directories = List.copyOf(directories);
        }

        @Override
        public Keyword keyword() {
            return Keyword.SOURCEDIR;
        }
    }

    /** A directive chronyd no longer supports or silently ignores; its arguments are not read. */
    record Obsolete(SourceLocation location, Keyword keyword) implements Directive {
    }
}
