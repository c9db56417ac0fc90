package org.jchrony.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every directive name chronyd 4.8 accepts in chrony.conf, and whether jchronyd acts on it.
 *
 * <p><b>THIS IS THE "IMPLEMENTED" TABLE.</b> Flip a directive between {@link Support#IMPLEMENTED}
 * and {@link Support#NOT_IMPLEMENTED} here and nowhere else. A {@code NOT_IMPLEMENTED}
 * directive is still fully parsed and validated (a malformed one is an error), but the parse
 * result carries a warning naming its file:line so the daemon can log that it is ignored.
 * {@link Support#OBSOLETE} directives are those chronyd itself warns about ("no longer
 * supported") and {@link Support#SILENTLY_IGNORED} is chronyd's {@code dumponexit}.
 */
public enum Keyword {
    // ---- name ---------------- support ------------------------------
    ACQUISITIONPORT("acquisitionport", Support.IMPLEMENTED),
    ALLOW("allow", Support.IMPLEMENTED),
    AUTHSELECTMODE("authselectmode", Support.IMPLEMENTED),
    BINDACQADDRESS("bindacqaddress", Support.IMPLEMENTED),
    BINDACQDEVICE("bindacqdevice", Support.IMPLEMENTED),
    BINDADDRESS("bindaddress", Support.IMPLEMENTED),
    BINDCMDADDRESS("bindcmdaddress", Support.IMPLEMENTED),
    BINDCMDDEVICE("bindcmddevice", Support.IMPLEMENTED),
    BINDDEVICE("binddevice", Support.IMPLEMENTED),
    BROADCAST("broadcast", Support.NOT_IMPLEMENTED),
    CLIENTLOGLIMIT("clientloglimit", Support.IMPLEMENTED),
    CLOCKPRECISION("clockprecision", Support.IMPLEMENTED),
    CMDALLOW("cmdallow", Support.IMPLEMENTED),
    CMDDENY("cmddeny", Support.IMPLEMENTED),
    CMDPORT("cmdport", Support.IMPLEMENTED),
    CMDRATELIMIT("cmdratelimit", Support.IMPLEMENTED),
    COMBINELIMIT("combinelimit", Support.IMPLEMENTED),
    CONFDIR("confdir", Support.IMPLEMENTED),
    CORRTIMERATIO("corrtimeratio", Support.IMPLEMENTED),
    DENY("deny", Support.IMPLEMENTED),
    DRIFTFILE("driftfile", Support.IMPLEMENTED),
    DSCP("dscp", Support.NOT_IMPLEMENTED),
    DUMPDIR("dumpdir", Support.IMPLEMENTED),
    DUMPONEXIT("dumponexit", Support.SILENTLY_IGNORED),
    FALLBACKDRIFT("fallbackdrift", Support.IMPLEMENTED),
    HWCLOCKFILE("hwclockfile", Support.NOT_IMPLEMENTED),
    HWTIMESTAMP("hwtimestamp", Support.NOT_IMPLEMENTED),
    HWTSTIMEOUT("hwtstimeout", Support.NOT_IMPLEMENTED),
    INCLUDE("include", Support.IMPLEMENTED),
    INITSTEPSLEW("initstepslew", Support.NOT_IMPLEMENTED),
    KEYFILE("keyfile", Support.IMPLEMENTED),
    LEAPSECMODE("leapsecmode", Support.IMPLEMENTED),
    LEAPSECTZ("leapsectz", Support.IMPLEMENTED),
    LEAPSECLIST("leapseclist", Support.IMPLEMENTED),
    LOCAL("local", Support.IMPLEMENTED),
    LOCK_ALL("lock_all", Support.NOT_IMPLEMENTED),
    LOG("log", Support.IMPLEMENTED),
    LOGBANNER("logbanner", Support.IMPLEMENTED),
    LOGCHANGE("logchange", Support.IMPLEMENTED),
    LOGDIR("logdir", Support.IMPLEMENTED),
    MAILONCHANGE("mailonchange", Support.NOT_IMPLEMENTED),
    MAKESTEP("makestep", Support.IMPLEMENTED),
    MANUAL("manual", Support.IMPLEMENTED),
    MAXCHANGE("maxchange", Support.IMPLEMENTED),
    MAXCLOCKERROR("maxclockerror", Support.IMPLEMENTED),
    MAXDISTANCE("maxdistance", Support.IMPLEMENTED),
    MAXDRIFT("maxdrift", Support.IMPLEMENTED),
    MAXJITTER("maxjitter", Support.IMPLEMENTED),
    MAXNTSCONNECTIONS("maxntsconnections", Support.IMPLEMENTED),
    MAXSAMPLES("maxsamples", Support.NOT_IMPLEMENTED),
    MAXSLEWRATE("maxslewrate", Support.IMPLEMENTED),
    MAXUPDATESKEW("maxupdateskew", Support.IMPLEMENTED),
    MINSAMPLES("minsamples", Support.NOT_IMPLEMENTED),
    MINSOURCES("minsources", Support.IMPLEMENTED),
    NOCERTTIMECHECK("nocerttimecheck", Support.NOT_IMPLEMENTED),
    NOCLIENTLOG("noclientlog", Support.IMPLEMENTED),
    NOSYSTEMCERT("nosystemcert", Support.IMPLEMENTED),
    NTPSIGNDSOCKET("ntpsigndsocket", Support.NOT_IMPLEMENTED),
    NTSAEADS("ntsaeads", Support.NOT_IMPLEMENTED),
    NTSCACHEDIR("ntscachedir", Support.IMPLEMENTED),
    NTSDUMPDIR("ntsdumpdir", Support.IMPLEMENTED),
    NTSNTPSERVER("ntsntpserver", Support.IMPLEMENTED),
    NTSPORT("ntsport", Support.IMPLEMENTED),
    NTSPROCESSES("ntsprocesses", Support.IMPLEMENTED),
    NTSRATELIMIT("ntsratelimit", Support.IMPLEMENTED),
    NTSREFRESH("ntsrefresh", Support.IMPLEMENTED),
    NTSROTATE("ntsrotate", Support.IMPLEMENTED),
    NTSSERVERCERT("ntsservercert", Support.IMPLEMENTED),
    NTSSERVERKEY("ntsserverkey", Support.IMPLEMENTED),
    NTSTRUSTEDCERTS("ntstrustedcerts", Support.IMPLEMENTED),
    OPENCOMMANDS("opencommands", Support.IMPLEMENTED),
    PEER("peer", Support.IMPLEMENTED),
    PIDFILE("pidfile", Support.IMPLEMENTED),
    POOL("pool", Support.IMPLEMENTED),
    PORT("port", Support.IMPLEMENTED),
    PTPDOMAIN("ptpdomain", Support.NOT_IMPLEMENTED),
    PTPPORT("ptpport", Support.NOT_IMPLEMENTED),
    RATELIMIT("ratelimit", Support.IMPLEMENTED),
    REFCLOCK("refclock", Support.NOT_IMPLEMENTED),
    REFRESH("refresh", Support.IMPLEMENTED),
    RESELECTDIST("reselectdist", Support.IMPLEMENTED),
    RTCAUTOTRIM("rtcautotrim", Support.NOT_IMPLEMENTED),
    RTCDEVICE("rtcdevice", Support.NOT_IMPLEMENTED),
    RTCFILE("rtcfile", Support.NOT_IMPLEMENTED),
    RTCONUTC("rtconutc", Support.NOT_IMPLEMENTED),
    RTCSYNC("rtcsync", Support.IMPLEMENTED),
    SCHED_PRIORITY("sched_priority", Support.IMPLEMENTED),
    SERVER("server", Support.IMPLEMENTED),
    SMOOTHTIME("smoothtime", Support.IMPLEMENTED),
    SOURCEDIR("sourcedir", Support.IMPLEMENTED),
    STRATUMWEIGHT("stratumweight", Support.IMPLEMENTED),
    TEMPCOMP("tempcomp", Support.NOT_IMPLEMENTED),
    USER("user", Support.IMPLEMENTED),
    /** jchrony's own: the OpenMetrics endpoint's TCP port (0 = off, the default). Not in chrony. */
    METRICSPORT("metricsport", Support.IMPLEMENTED),
    /** jchrony's own: the metrics endpoint's address (default 127.0.0.1). Not in chrony. */
    METRICSBINDADDRESS("metricsbindaddress", Support.IMPLEMENTED),
    // chronyd 4.8 logs "... directive is no longer supported" for these and goes on
    COMMANDKEY("commandkey", Support.OBSOLETE),
    GENERATECOMMANDKEY("generatecommandkey", Support.OBSOLETE),
    LINUX_FREQ_SCALE("linux_freq_scale", Support.OBSOLETE),
    LINUX_HZ("linux_hz", Support.OBSOLETE);

    /** What jchronyd does with a directive. */
    public enum Support {
        /** Parsed and acted on. */
        IMPLEMENTED,
        /** Parsed and validated; the parse result warns that it is ignored. */
        NOT_IMPLEMENTED,
        /** Arguments not read; warned as no longer supported (chronyd does the same). */
        OBSOLETE,
        /** Arguments not read; no warning (chronyd's {@code dumponexit}). */
        SILENTLY_IGNORED
    }

    private static final Map<String, Keyword> BY_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(Keyword::directiveName, Function.identity()));

    private final String directiveName;
    private final Support support;

    Keyword(String directiveName, Support support) {
        this.directiveName = directiveName;
        this.support = support;
    }

    /** The lower-case name used in chrony.conf. */
    public String directiveName() {
        return directiveName;
    }

    public Support support() {
        return support;
    }

    public boolean isImplemented() {
        return support == Support.IMPLEMENTED;
    }

    /** Case-insensitive lookup, as chronyd matches directive names. */
    public static Optional<Keyword> lookup(String name) {
        return Optional.ofNullable(BY_NAME.get(LineParser.asciiLower(name)));
    }
}
