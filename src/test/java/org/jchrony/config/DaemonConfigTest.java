package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.jchrony.config.Directive.OpenCommand;
import org.junit.jupiter.api.Test;

/** Effective settings: chronyd 4.8's defaults and how directives change them. */
class DaemonConfigTest {

    static DaemonConfig cfg(String... lines) throws ConfigException {
        return DaemonConfig.from(ConfigParser.parseLines(List.of(lines), "t"));
    }

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    @Test
    void defaultsAreChronyds() throws ConfigException {
        DaemonConfig c = cfg();
        assertEquals(123, c.ntpPort());
        assertEquals(323, c.cmdPort());
        assertEquals(OptionalInt.empty(), c.acquisitionPort());
        assertEquals(ip("0.0.0.0"), c.bindAddress4());
        assertEquals(ip("::"), c.bindAddress6());
        assertEquals(ip("127.0.0.1"), c.bindCmdAddress4());
        assertEquals(ip("::1"), c.bindCmdAddress6());
        assertEquals(Optional.of("/run/chrony/chronyd.sock"), c.bindCmdSocket());
        assertEquals(Optional.of("/run/chrony/chronyd.pid"), c.pidFile());
        assertEquals("_chrony", c.user());
        assertEquals(1000.0, c.maxUpdateSkewPpm());
        assertEquals(3.0, c.corrTimeRatio());
        assertEquals(1e6 / 12, c.maxSlewRatePpm(), 1e-9);
        assertEquals(83333.333, c.maxSlewRatePpm(), 1e-3);
        assertEquals(3.0, c.maxDistanceSeconds());
        assertEquals(1.0, c.maxJitterSeconds());
        assertEquals(1, c.minSources());
        assertEquals(3.0, c.combineLimit());
        assertEquals(1e-4, c.reselectDistanceSeconds());
        assertEquals(1e-3, c.stratumWeightSeconds());
        assertEquals(1.0, c.maxClockErrorPpm());
        assertEquals(500000.0, c.maxDriftPpm());
        assertEquals(0.0, c.clockPrecisionSeconds());
        assertEquals(524288, c.clientLogLimitBytes());
        assertEquals(new RateLimitSettings(false, 3, 8, 2, 0), c.ntpRateLimit());
        assertEquals(new RateLimitSettings(false, 6, 8, 2, 0), c.ntsRateLimit());
        assertEquals(new RateLimitSettings(false, -4, 8, 2, 0), c.cmdRateLimit());
        assertThat(c.makeStepEnabled()).isFalse();
        assertEquals(0, c.makeStepLimit());
        assertEquals(6, c.minSamples());
        assertEquals(0, c.maxSamples());
        assertEquals(32, c.logBanner());
        assertEquals(1.0, c.logChangeSeconds());
        assertEquals(3600, c.driftFileIntervalSeconds());
        assertEquals(1209600, c.refreshSeconds());
        assertEquals(Directive.LeapSecMode.SYSTEM, c.leapSecMode());
        assertEquals(Directive.AuthSelectMode.MIX, c.authSelectMode());
        assertEquals("/dev/rtc", c.rtcDevice());
        assertEquals("/etc/adjtime", c.hwclockFile());
        assertEquals(Set.of(OpenCommand.ACTIVITY, OpenCommand.MANUAL, OpenCommand.RTCDATA, OpenCommand.SMOOTHING,
                OpenCommand.SOURCENAME, OpenCommand.SOURCES, OpenCommand.SOURCESTATS, OpenCommand.TRACKING),
                c.openCommands());
        assertEquals(List.of(30, 15), c.nts().aeads());
        assertEquals(4460, c.nts().port());
        assertEquals(1, c.nts().processes());
        assertEquals(100, c.nts().maxConnections());
        assertEquals(2419200, c.nts().refreshSeconds());
        assertEquals(604800, c.nts().rotateSeconds());
        assertEquals(0.001, c.hwtsTimeoutSeconds());
        assertEquals(0, c.ptpPort());
        assertEquals(123, c.ptpDomain());
        assertThat(c.ntpAccess()).isEmpty();
        assertThat(c.cmdAccess()).isEmpty();
        assertThat(c.sources()).isEmpty();
        assertThat(c.driftFile()).isEmpty();
        assertThat(c.keyFile()).isEmpty();
        assertThat(c.local()).isEmpty();
        assertThat(c.logs()).isEmpty();
        assertEquals(c, DaemonConfig.defaults(BuildDefaults.DEBIAN));
    }

    @Test
    void upstreamBuildDefaults() {
        DaemonConfig c = DaemonConfig.defaults(BuildDefaults.UPSTREAM);
        assertEquals(Optional.of("/var/run/chrony/chronyd.pid"), c.pidFile());
        assertEquals(Optional.of("/var/run/chrony/chronyd.sock"), c.bindCmdSocket());
        assertEquals("root", c.user());
    }

    @Test
    void laterDirectiveWinsAndBindAddressesArePerFamily() throws ConfigException {
        DaemonConfig c = cfg("maxupdateskew 5", "maxupdateskew 7", "bindcmdaddress 0.0.0.0", "bindaddress ::1",
                "bindacqaddress 192.0.2.7", "port 11123", "cmdport 0", "acquisitionport 1123");
        assertEquals(7.0, c.maxUpdateSkewPpm());
        assertEquals(ip("0.0.0.0"), c.bindCmdAddress4());
        assertEquals(ip("::1"), c.bindCmdAddress6());
        assertEquals(ip("0.0.0.0"), c.bindAddress4());
        assertEquals(ip("::1"), c.bindAddress6());
        assertEquals(ip("192.0.2.7"), c.bindAcqAddress4());
        assertEquals(ip("::"), c.bindAcqAddress6());
        assertEquals(11123, c.ntpPort());
        assertEquals(0, c.cmdPort());
        assertEquals(OptionalInt.of(1123), c.acquisitionPort());
    }

    @Test
    void slashDisablesPidFileAndCommandSocket() throws ConfigException {
        DaemonConfig c = cfg("pidfile /", "bindcmdaddress /");
        assertThat(c.pidFile()).isEmpty();
        assertThat(c.bindCmdSocket()).isEmpty();
        DaemonConfig d = cfg("pidfile /tmp/x.pid", "bindcmdaddress /tmp/c.sock");
        assertEquals(Optional.of("/tmp/x.pid"), d.pidFile());
        assertEquals(Optional.of("/tmp/c.sock"), d.bindCmdSocket());
    }

    @Test
    void rateLimitOptionsOverrideOnlyWhatIsGiven() throws ConfigException {
        DaemonConfig c = cfg("ratelimit burst 4", "cmdratelimit");
        assertEquals(new RateLimitSettings(true, 3, 4, 2, 0), c.ntpRateLimit());
        assertEquals(new RateLimitSettings(true, -4, 8, 2, 0), c.cmdRateLimit());
        assertEquals(RateLimitSettings.NTS_DEFAULT, c.ntsRateLimit());
    }

    @Test
    void accessRulesKeepOrderPerService() throws ConfigException {
        DaemonConfig c = cfg("allow 10/8", "cmdallow 192.168/16", "deny 10.1/16", "allow all");
        assertEquals(List.of("10.0.0.0/8", "10.1.0.0/16", ""),
                c.ntpAccess().stream().map(a -> a.subnet().toString()).toList());
        assertEquals(List.of(true, false, true), c.ntpAccess().stream().map(Directive.Access::allow).toList());
        assertThat(c.ntpAccess().get(2).all()).isTrue();
        assertEquals(1, c.cmdAccess().size());
        assertThat(c.cmdAccess().get(0).subnet().contains(ip("192.168.3.4"))).isTrue();
    }

    @Test
    void logsAccumulateAndRawImpliesMeasurements() throws ConfigException {
        DaemonConfig c = cfg("log tracking", "log rawmeasurements");
        assertEquals(Set.of(Directive.LogKind.TRACKING, Directive.LogKind.RAWMEASUREMENTS,
                Directive.LogKind.MEASUREMENTS), c.logs());
    }

    @Test
    void openCommandsReplaceDefaults() throws ConfigException {
        assertThat(cfg("opencommands").openCommands()).isEmpty();
        assertEquals(Set.of(OpenCommand.SERVERSTATS), cfg("opencommands serverstats").openCommands());
    }

    @Test
    void makeStepAndSamples() throws ConfigException {
        DaemonConfig c = cfg("makestep 0.5 -1", "minsamples 3", "maxsamples 10", "server a minsamples 8", "server b");
        assertThat(c.makeStepEnabled()).isTrue();
        assertEquals(-1, c.makeStepLimit());
        assertEquals(0.5, c.makeStepThresholdSeconds());
        assertEquals(8, c.effectiveMinSamples(c.sources().get(0).options()));
        assertEquals(3, c.effectiveMinSamples(c.sources().get(1).options()));
        assertEquals(10, c.effectiveMaxSamples(c.sources().get(1).options()));
    }

    @Test
    void restartedIgnoresInitStepSlewAndLimitedMakeStep() throws ConfigException {
        ParseResult r = ConfigParser.parseLines(List.of("initstepslew 10 a", "makestep 1 3"), "t");
        DaemonConfig normal = DaemonConfig.from(r, BuildDefaults.DEBIAN, false);
        assertThat(normal.initStepSlew()).isPresent();
        assertEquals(3, normal.makeStepLimit());
        DaemonConfig restarted = DaemonConfig.from(r, BuildDefaults.DEBIAN, true);
        assertThat(restarted.initStepSlew()).isEmpty();
        assertEquals(0, restarted.makeStepLimit());
        ParseResult always = ConfigParser.parseLines(List.of("makestep 1 -1"), "t");
        assertEquals(-1, DaemonConfig.from(always, BuildDefaults.DEBIAN, true).makeStepLimit());
    }

    @Test
    void ntsCacheDirIsAnAliasOfNtsDumpDir() throws ConfigException {
        assertEquals(Optional.of("/b"), cfg("ntsdumpdir /a", "ntscachedir /b").nts().dumpDir());
    }

    @Test
    void combinationsChronydRefusesAtStart() {
        assertThatThrownBy(() -> cfg("ratelimit", "server a", "noclientlog"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t:3: Rate limiting cannot be enabled with noclientlog");
        assertThatThrownBy(() -> cfg("rtcfile /var/lib/chrony/rtc", "rtcsync"))
                .hasMessage("t:2: rtcfile directive cannot be used with rtcsync");
        assertThatThrownBy(() -> cfg("refclock PHC /dev/ptp0 tai"))
                .hasMessage("t:1: refclock tai option requires leapseclist or leapsectz");
        org.assertj.core.api.Assertions.assertThatCode(() -> cfg("refclock PHC /dev/ptp0 tai", "leapsectz right/UTC"))
                .doesNotThrowAnyException();
    }

    @Test
    void warningsForNotImplementedAndObsoleteDirectives() throws ConfigException {
        ParseResult r = ConfigParser.parseLines(List.of("server a", "refclock SHM 0", "commandkey 1", "dumponexit",
                "hwtimestamp eth0"), "cli");
        assertEquals(List.of("cli:2: refclock directive is not supported by jchronyd and is ignored",
                "cli:3: commandkey directive is no longer supported",
                "cli:5: hwtimestamp directive is not supported by jchronyd and is ignored"), r.warnings());
        assertEquals(r.warnings(), DaemonConfig.from(r).warnings());
    }

    @Test
    void metricsEndpointIsOffByDefaultAndConfigurable() throws ConfigException {
        DaemonConfig d = DaemonConfig.from(ConfigParser.parseLines(java.util.List.of(), "t"));
        org.assertj.core.api.Assertions.assertThat(d.metricsPort()).isZero();
        org.assertj.core.api.Assertions.assertThat(d.metricsBindAddress()).isEqualTo(IpAddress.ipv4Loopback());
        DaemonConfig m = DaemonConfig.from(ConfigParser.parseLines(
                java.util.List.of("metricsport 9123", "metricsbindaddress 127.0.0.2"), "t"));
        org.assertj.core.api.Assertions.assertThat(m.metricsPort()).isEqualTo(9123);
        org.assertj.core.api.Assertions.assertThat(m.metricsBindAddress()).isEqualTo(IpAddress.parse("127.0.0.2").orElseThrow());
    }
}
