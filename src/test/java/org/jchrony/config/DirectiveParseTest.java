package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.jchrony.config.Directive.SourceType;
import org.jchrony.config.SourceOptions.ExtensionField;
import org.jchrony.config.SourceOptions.SelectOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One line per directive of chrony.conf(5) 4.8: what it parses into. */
class DirectiveParseTest {

    static Directive one(String line) throws ConfigException {
        ParseResult r = ConfigParser.parseLines(List.of(line), "test");
        assertThat(r.directives()).hasSize(1);
        Directive d = r.directives().get(0);
        assertEquals(new SourceLocation("test", 1), d.location());
        return d;
    }

    static final SourceLocation L = new SourceLocation("test", 1);

    static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }

    static Stream<Arguments> simpleDirectives() {
        return Stream.of(
                Arguments.of("acquisitionport 1123", new Directive.Port(L, Keyword.ACQUISITIONPORT, 1123)),
                Arguments.of("port 0", new Directive.Port(L, Keyword.PORT, 0)),
                Arguments.of("PORT 11123", new Directive.Port(L, Keyword.PORT, 11123)),
                Arguments.of("cmdport 65535", new Directive.Port(L, Keyword.CMDPORT, 65535)),
                Arguments.of("metricsport 9123", new Directive.Port(L, Keyword.METRICSPORT, 9123)),
                Arguments.of("metricsbindaddress ::1", new Directive.BindAddress(L, Keyword.METRICSBINDADDRESS, ip("::1"))),
                Arguments.of("ntsport 4461", new Directive.Port(L, Keyword.NTSPORT, 4461)),
                Arguments.of("ptpport 319", new Directive.Port(L, Keyword.PTPPORT, 319)),
                Arguments.of("dscp 46", new Directive.IntSetting(L, Keyword.DSCP, 46)),
                Arguments.of("logbanner 0", new Directive.IntSetting(L, Keyword.LOGBANNER, 0)),
                Arguments.of("maxsamples 30", new Directive.IntSetting(L, Keyword.MAXSAMPLES, 30)),
                Arguments.of("minsamples 4", new Directive.IntSetting(L, Keyword.MINSAMPLES, 4)),
                Arguments.of("minsources 2", new Directive.IntSetting(L, Keyword.MINSOURCES, 2)),
                Arguments.of("maxntsconnections 50", new Directive.IntSetting(L, Keyword.MAXNTSCONNECTIONS, 50)),
                Arguments.of("nocerttimecheck 1", new Directive.IntSetting(L, Keyword.NOCERTTIMECHECK, 1)),
                Arguments.of("ntsprocesses 4", new Directive.IntSetting(L, Keyword.NTSPROCESSES, 4)),
                Arguments.of("ntsrefresh 86400", new Directive.IntSetting(L, Keyword.NTSREFRESH, 86400)),
                Arguments.of("ntsrotate 0", new Directive.IntSetting(L, Keyword.NTSROTATE, 0)),
                Arguments.of("ptpdomain 0", new Directive.IntSetting(L, Keyword.PTPDOMAIN, 0)),
                Arguments.of("refresh 3600", new Directive.IntSetting(L, Keyword.REFRESH, 3600)),
                Arguments.of("sched_priority 1", new Directive.IntSetting(L, Keyword.SCHED_PRIORITY, 1)),
                Arguments.of("clockprecision 1e-8", new Directive.RealSetting(L, Keyword.CLOCKPRECISION, 1e-8)),
                Arguments.of("combinelimit 4", new Directive.RealSetting(L, Keyword.COMBINELIMIT, 4.0)),
                Arguments.of("corrtimeratio 100", new Directive.RealSetting(L, Keyword.CORRTIMERATIO, 100.0)),
                Arguments.of("hwtstimeout 0.01", new Directive.RealSetting(L, Keyword.HWTSTIMEOUT, 0.01)),
                Arguments.of("logchange 0.5", new Directive.RealSetting(L, Keyword.LOGCHANGE, 0.5)),
                Arguments.of("maxclockerror 0.1", new Directive.RealSetting(L, Keyword.MAXCLOCKERROR, 0.1)),
                Arguments.of("maxdistance 16", new Directive.RealSetting(L, Keyword.MAXDISTANCE, 16.0)),
                Arguments.of("maxdrift 100", new Directive.RealSetting(L, Keyword.MAXDRIFT, 100.0)),
                Arguments.of("maxjitter 0.5", new Directive.RealSetting(L, Keyword.MAXJITTER, 0.5)),
                Arguments.of("maxslewrate 500", new Directive.RealSetting(L, Keyword.MAXSLEWRATE, 500.0)),
                Arguments.of("maxupdateskew 100.0", new Directive.RealSetting(L, Keyword.MAXUPDATESKEW, 100.0)),
                // chronyd reads reals with sscanf("%lf"): trailing garbage is ignored
                Arguments.of("maxupdateskew 5ppm", new Directive.RealSetting(L, Keyword.MAXUPDATESKEW, 5.0)),
                Arguments.of("reselectdist 1e-3", new Directive.RealSetting(L, Keyword.RESELECTDIST, 1e-3)),
                Arguments.of("rtcautotrim 30", new Directive.RealSetting(L, Keyword.RTCAUTOTRIM, 30.0)),
                Arguments.of("stratumweight 0.01", new Directive.RealSetting(L, Keyword.STRATUMWEIGHT, 0.01)),
                Arguments.of("bindacqdevice eth0", new Directive.TextSetting(L, Keyword.BINDACQDEVICE, "eth0")),
                Arguments.of("bindcmddevice lo", new Directive.TextSetting(L, Keyword.BINDCMDDEVICE, "lo")),
                Arguments.of("binddevice eth1", new Directive.TextSetting(L, Keyword.BINDDEVICE, "eth1")),
                Arguments.of("dumpdir /var/lib/chrony", new Directive.TextSetting(L, Keyword.DUMPDIR, "/var/lib/chrony")),
                Arguments.of("hwclockfile /etc/adjtime", new Directive.TextSetting(L, Keyword.HWCLOCKFILE, "/etc/adjtime")),
                Arguments.of("keyfile /etc/chrony/chrony.keys",
                        new Directive.TextSetting(L, Keyword.KEYFILE, "/etc/chrony/chrony.keys")),
                Arguments.of("leapsectz right/UTC", new Directive.TextSetting(L, Keyword.LEAPSECTZ, "right/UTC")),
                Arguments.of("leapseclist /usr/share/zoneinfo/leap-seconds.list",
                        new Directive.TextSetting(L, Keyword.LEAPSECLIST, "/usr/share/zoneinfo/leap-seconds.list")),
                Arguments.of("logdir /var/log/chrony", new Directive.TextSetting(L, Keyword.LOGDIR, "/var/log/chrony")),
                Arguments.of("ntpsigndsocket /var/lib/samba/ntp_signd",
                        new Directive.TextSetting(L, Keyword.NTPSIGNDSOCKET, "/var/lib/samba/ntp_signd")),
                Arguments.of("ntscachedir /var/lib/chrony", new Directive.TextSetting(L, Keyword.NTSCACHEDIR, "/var/lib/chrony")),
                Arguments.of("ntsdumpdir /var/lib/chrony", new Directive.TextSetting(L, Keyword.NTSDUMPDIR, "/var/lib/chrony")),
                Arguments.of("ntsntpserver ntp.example.net",
                        new Directive.TextSetting(L, Keyword.NTSNTPSERVER, "ntp.example.net")),
                Arguments.of("ntsservercert /etc/c.crt", new Directive.TextSetting(L, Keyword.NTSSERVERCERT, "/etc/c.crt")),
                Arguments.of("ntsserverkey /etc/c.key", new Directive.TextSetting(L, Keyword.NTSSERVERKEY, "/etc/c.key")),
                Arguments.of("pidfile /run/x.pid", new Directive.TextSetting(L, Keyword.PIDFILE, "/run/x.pid")),
                Arguments.of("rtcdevice /dev/rtc1", new Directive.TextSetting(L, Keyword.RTCDEVICE, "/dev/rtc1")),
                Arguments.of("rtcfile /var/lib/chrony/rtc", new Directive.TextSetting(L, Keyword.RTCFILE, "/var/lib/chrony/rtc")),
                Arguments.of("user _chrony", new Directive.TextSetting(L, Keyword.USER, "_chrony")),
                Arguments.of("lock_all", new Directive.Flag(L, Keyword.LOCK_ALL)),
                Arguments.of("manual", new Directive.Flag(L, Keyword.MANUAL)),
                Arguments.of("noclientlog", new Directive.Flag(L, Keyword.NOCLIENTLOG)),
                Arguments.of("nosystemcert", new Directive.Flag(L, Keyword.NOSYSTEMCERT)),
                Arguments.of("rtconutc", new Directive.Flag(L, Keyword.RTCONUTC)),
                Arguments.of("RtcSync", new Directive.Flag(L, Keyword.RTCSYNC)),
                Arguments.of("bindaddress 192.0.2.1", new Directive.BindAddress(L, Keyword.BINDADDRESS, ip("192.0.2.1"))),
                Arguments.of("bindaddress 2001:db8::1", new Directive.BindAddress(L, Keyword.BINDADDRESS, ip("2001:db8::1"))),
                Arguments.of("bindacqaddress 0.0.0.0", new Directive.BindAddress(L, Keyword.BINDACQADDRESS, ip("0.0.0.0"))),
                Arguments.of("bindcmdaddress ::1", new Directive.BindAddress(L, Keyword.BINDCMDADDRESS, ip("::1"))),
                Arguments.of("bindcmdaddress /var/run/chrony/chronyd.sock",
                        new Directive.BindCommandSocket(L, Optional.of("/var/run/chrony/chronyd.sock"))),
                Arguments.of("bindcmdaddress /", new Directive.BindCommandSocket(L, Optional.empty())),
                Arguments.of("ratelimit", new Directive.RateLimit(L, Keyword.RATELIMIT, OptionalInt.empty(),
                        OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty())),
                Arguments.of("ratelimit interval 1 burst 16 leak 3 kod 4", new Directive.RateLimit(L, Keyword.RATELIMIT,
                        OptionalInt.of(1), OptionalInt.of(16), OptionalInt.of(3), OptionalInt.of(4))),
                // glibc's sscanf("%d") wraps: chronyd 4.3 accepts this as interval 3
                Arguments.of("ratelimit interval 4294967299", new Directive.RateLimit(L, Keyword.RATELIMIT,
                        OptionalInt.of(3), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty())),
                Arguments.of("makestep 1-3 4", new Directive.MakeStep(L, 1.0, -3)),
                Arguments.of("cmdratelimit interval -4 burst 16", new Directive.RateLimit(L, Keyword.CMDRATELIMIT,
                        OptionalInt.of(-4), OptionalInt.of(16), OptionalInt.empty(), OptionalInt.empty())),
                Arguments.of("ntsratelimit interval 8", new Directive.RateLimit(L, Keyword.NTSRATELIMIT,
                        OptionalInt.of(8), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty())),
                Arguments.of("driftfile /var/lib/chrony/drift", new Directive.DriftFile(L, "/var/lib/chrony/drift", 3600)),
                Arguments.of("driftfile /d interval 600", new Directive.DriftFile(L, "/d", 600)),
                Arguments.of("makestep 1.0 3", new Directive.MakeStep(L, 1.0, 3)),
                Arguments.of("makestep 0.1 -1", new Directive.MakeStep(L, 0.1, -1)),
                Arguments.of("maxchange 1000 1 2", new Directive.MaxChange(L, 1000.0, 1, 2)),
                Arguments.of("fallbackdrift 16 19", new Directive.FallbackDrift(L, 16, 19)),
                Arguments.of("local", new Directive.Local(L, 10, false, 1.0, 0.0, 0.0, 0.0)),
                Arguments.of("local stratum 8 orphan", new Directive.Local(L, 8, true, 1.0, 0.0, 0.0, 300.0)),
                Arguments.of("local stratum 3 distance 0.1 activate 0.5 waitsynced 100 waitunsynced 50",
                        new Directive.Local(L, 3, false, 0.1, 0.5, 100.0, 50.0)),
                Arguments.of("log measurements statistics tracking", new Directive.Log(L, Set.of(Directive.LogKind.MEASUREMENTS,
                        Directive.LogKind.STATISTICS, Directive.LogKind.TRACKING))),
                Arguments.of("log rawmeasurements selection rtc refclocks tempcomp", new Directive.Log(L, Set.of(
                        Directive.LogKind.RAWMEASUREMENTS, Directive.LogKind.SELECTION, Directive.LogKind.RTC,
                        Directive.LogKind.REFCLOCKS, Directive.LogKind.TEMPCOMP))),
                Arguments.of("leapsecmode slew", new Directive.LeapSecModeSetting(L, Directive.LeapSecMode.SLEW)),
                Arguments.of("leapsecmode IGNORE", new Directive.LeapSecModeSetting(L, Directive.LeapSecMode.IGNORE)),
                Arguments.of("authselectmode require", new Directive.AuthSelectModeSetting(L, Directive.AuthSelectMode.REQUIRE)),
                Arguments.of("clientloglimit 4194304", new Directive.ClientLogLimit(L, 4194304)),
                Arguments.of("broadcast 30 192.168.1.255", new Directive.Broadcast(L, 30, ip("192.168.1.255"), 123)),
                Arguments.of("broadcast 60 192.168.2.255 12123", new Directive.Broadcast(L, 60, ip("192.168.2.255"), 12123)),
                Arguments.of("smoothtime 400 0.001", new Directive.SmoothTime(L, 400.0, 0.001, false)),
                Arguments.of("smoothtime 50000 0.01 leaponly", new Directive.SmoothTime(L, 50000.0, 0.01, true)),
                Arguments.of("tempcomp /sys/class/hwmon/hwmon0/temp2_input 30 26000 0.0 0.000183 0.0",
                        new Directive.TempComp(L, "/sys/class/hwmon/hwmon0/temp2_input", 30.0, Optional.empty(),
                                26000.0, 0.0, 0.000183, 0.0)),
                Arguments.of("tempcomp /sys/temp 30 /etc/chrony.tempcomp", new Directive.TempComp(L, "/sys/temp", 30.0,
                        Optional.of("/etc/chrony.tempcomp"), 0, 0, 0, 0)),
                Arguments.of("hwtimestamp eth0", new Directive.HwTimestamp(L, "eth0", 0, 1, 2, 16, 100e-9, 0.0, 0.0,
                        Directive.RxFilter.ANY, false)),
                Arguments.of("hwtimestamp * minpoll -2 rxfilter ntp nocrossts txcomp 1e-7 rxcomp 2e-7 precision 1e-8 "
                        + "minsamples 3 maxsamples 20", new Directive.HwTimestamp(L, "*", -2, -1, 3, 20, 1e-8, 1e-7, 2e-7,
                        Directive.RxFilter.NTP, true)),
                Arguments.of("hwtimestamp eth0 maxpoll 4", new Directive.HwTimestamp(L, "eth0", 0, 4, 2, 16, 100e-9, 0.0, 0.0,
                        Directive.RxFilter.ANY, false)),
                Arguments.of("mailonchange root@localhost 0.5", new Directive.MailOnChange(L, "root@localhost", 0.5)),
                Arguments.of("ntstrustedcerts /etc/ca.crt", new Directive.NtsTrustedCerts(L, 0, "/etc/ca.crt")),
                Arguments.of("ntstrustedcerts 2 /etc/ca2", new Directive.NtsTrustedCerts(L, 2, "/etc/ca2")),
                Arguments.of("ntsaeads 30", new Directive.NtsAeads(L, List.of(30))),
                Arguments.of("ntsaeads 15 30", new Directive.NtsAeads(L, List.of(15, 30))),
                Arguments.of("opencommands", new Directive.OpenCommands(L, Set.of())),
                Arguments.of("opencommands sources tracking serverstats", new Directive.OpenCommands(L, Set.of(
                        Directive.OpenCommand.SOURCES, Directive.OpenCommand.TRACKING, Directive.OpenCommand.SERVERSTATS))),
                Arguments.of("initstepslew 30 foo.example.net bar.example.net",
                        new Directive.InitStepSlew(L, 30.0, List.of("foo.example.net", "bar.example.net"))),
                Arguments.of("initstepslew 10", new Directive.InitStepSlew(L, 10.0, List.of())),
                Arguments.of("sourcedir /run/chrony-dhcp /etc/chrony/sources.d",
                        new Directive.SourceDir(L, List.of("/run/chrony-dhcp", "/etc/chrony/sources.d"))),
                Arguments.of("dumponexit", new Directive.Obsolete(L, Keyword.DUMPONEXIT)),
                Arguments.of("commandkey 1", new Directive.Obsolete(L, Keyword.COMMANDKEY)),
                Arguments.of("generatecommandkey", new Directive.Obsolete(L, Keyword.GENERATECOMMANDKEY)),
                Arguments.of("linux_hz 100", new Directive.Obsolete(L, Keyword.LINUX_HZ)),
                Arguments.of("linux_freq_scale 0.99", new Directive.Obsolete(L, Keyword.LINUX_FREQ_SCALE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simpleDirectives")
    void parsesDirective(String line, Directive expected) throws ConfigException {
        assertEquals(expected, one(line));
    }

    @Test
    void everyKeywordHasAParseCase() {
        Set<Keyword> covered = new java.util.HashSet<>();
        simpleDirectives().forEach(a -> covered.add(((Directive) a.get()[1]).keyword()));
        covered.addAll(Set.of(Keyword.SERVER, Keyword.POOL, Keyword.PEER, Keyword.REFCLOCK, Keyword.ALLOW,
                Keyword.DENY, Keyword.CMDALLOW, Keyword.CMDDENY, Keyword.INCLUDE, Keyword.CONFDIR));
        assertThat(covered).containsExactlyInAnyOrder(Keyword.values());
    }

    // ------------------------------------------------------------------ sources

    @Test
    void serverWithNoOptionsGetsChronydDefaults() throws ConfigException {
        Directive.NtpSource s = (Directive.NtpSource) one("server ntp.example.net");
        assertEquals(SourceType.SERVER, s.type());
        assertEquals("ntp.example.net", s.name());
        SourceOptions o = s.options();
        assertEquals(SourceOptions.defaults(), o);
        assertEquals(123, o.port());
        assertEquals(6, o.minPollLog2());
        assertEquals(10, o.maxPollLog2());
        assertEquals(8, o.pollTarget());
        assertEquals(3.0, o.maxDelaySeconds());
        assertEquals(0.0, o.maxDelayRatio());
        assertEquals(10.0, o.maxDelayDevRatio());
        assertEquals(4, o.versionOrDefault());
        assertEquals(4, o.maxSources());
        assertEquals(1.0, o.asymmetry());
        assertEquals(4460, o.ntsPort());
        assertThat(o.presendPollLog2()).isEmpty();
        assertThat(o.keyId()).isEmpty();
    }

    @Test
    void serverWithEveryOption() throws ConfigException {
        Directive.NtpSource s = (Directive.NtpSource) one("server 192.0.2.1 iburst burst minpoll 0 maxpoll 4 "
                + "polltarget 6 presend 9 prefer noselect trust require minstratum 2 maxdelay 0.3 maxdelayratio 2 "
                + "maxdelaydevratio 5 maxdelayquant 0.2 mindelay 0.001 asymmetry 0.5 offset -0.01 filter 5 "
                + "minsamples 4 maxsamples 16 offline auto_offline port 11123 version 3 xleave copy key 10 nts "
                + "certset 2 extfield F323 extfield f324 ntsport 4461 maxunreach 8 ipv4");
        SourceOptions o = s.options();
        assertThat(o.iburst()).isTrue();
        assertThat(o.burst()).isTrue();
        assertEquals(0, o.minPollLog2());
        assertEquals(4, o.maxPollLog2());
        assertEquals(6, o.pollTarget());
        assertEquals(OptionalInt.of(9), o.presendPollLog2());
        assertEquals(Set.of(SelectOption.PREFER, SelectOption.NOSELECT, SelectOption.TRUST, SelectOption.REQUIRE),
                o.selectOptions());
        assertEquals(2, o.minStratum());
        assertEquals(0.3, o.maxDelaySeconds());
        assertEquals(2.0, o.maxDelayRatio());
        assertEquals(5.0, o.maxDelayDevRatio());
        assertEquals(0.2, o.maxDelayQuant());
        assertEquals(0.001, o.minDelaySeconds());
        assertEquals(0.5, o.asymmetry());
        assertEquals(-0.01, o.offsetSeconds());
        assertEquals(OptionalInt.of(5), o.filterLength());
        assertEquals(OptionalInt.of(4), o.minSamples());
        assertEquals(OptionalInt.of(16), o.maxSamples());
        assertThat(o.offline()).isTrue();
        assertThat(o.autoOffline()).isTrue();
        assertEquals(11123, o.port());
        assertEquals(OptionalInt.of(3), o.version());
        assertThat(o.xleave()).isTrue();
        assertThat(o.copy()).isTrue();
        assertEquals(OptionalLong.of(10), o.keyId());
        assertThat(o.nts()).isTrue();
        assertEquals(2, o.certSet());
        assertEquals(Set.of(ExtensionField.EXP_MONO_ROOT, ExtensionField.EXP_NET_CORRECTION), o.extensionFields());
        assertEquals(4461, o.ntsPort());
        assertEquals(8, o.maxUnreach());
        assertEquals(Optional.of(IpAddress.Family.INET4), o.addressFamily());
    }

    @Test
    void poolAndPeerAndCaseInsensitiveOptions() throws ConfigException {
        Directive.NtpSource p = (Directive.NtpSource) one("POOL pool.ntp.org IBURST maxsources 8");
        assertEquals(SourceType.POOL, p.type());
        assertEquals(Keyword.POOL, p.keyword());
        assertEquals(8, p.options().maxSources());
        assertThat(p.options().iburst()).isTrue();
        Directive.NtpSource q = (Directive.NtpSource) one("peer 2001:db8::5 key 1 xleave");
        assertEquals(SourceType.PEER, q.type());
        assertEquals("2001:db8::5", q.name());
    }

    @Test
    void numericOptionValueTailBecomesNextOption() throws ConfigException {
        // chronyd's option loop advances by what sscanf("%d%n") consumed: "6iburst" is minpoll 6 + iburst
        SourceOptions o = ((Directive.NtpSource) one("server a minpoll 6iburst")).options();
        assertEquals(6, o.minPollLog2());
        assertThat(o.iburst()).isTrue();
    }

    @Test
    void refclockWithOptions() throws ConfigException {
        Directive.Refclock r = (Directive.Refclock) one("refclock PPS /dev/pps0:clear lock NMEA refid GPS poll 3 "
                + "dpoll -2 filter 32 rate 1 minsamples 8 maxsamples 16 maxlockage 3 maxunreach 10 offset 0.1 "
                + "delay 0.2 precision 1e-6 maxdispersion 0.01 width 0.1 stratum 1 tai local pps prefer trust");
        assertEquals("PPS", r.driver());
        assertEquals("/dev/pps0:clear", r.parameter());
        RefclockOptions o = r.options();
        assertEquals(0x4E4D4541L, o.lockRefId());
        assertEquals(0x47505300L, o.refId());
        assertEquals(3, o.pollLog2());
        assertEquals(-2, o.driverPollLog2());
        assertEquals(32, o.filterLength());
        assertEquals(OptionalInt.of(1), o.rate());
        assertEquals(3, o.maxLockAge());
        assertEquals(10, o.maxUnreach());
        assertEquals(1, o.stratum());
        assertEquals(0.2, o.delaySeconds());
        assertEquals(0.1, o.pulseWidthSeconds());
        assertThat(o.tai()).isTrue();
        assertThat(o.local()).isTrue();
        assertThat(o.ppsForced()).isTrue();
        assertEquals(Set.of(SelectOption.PREFER, SelectOption.TRUST), o.selectOptions());
        Directive.Refclock d = (Directive.Refclock) one("refclock SHM 0");
        assertEquals(4, d.options().pollLog2());
        assertEquals(64, d.options().filterLength());
        assertEquals(1e-9, d.options().delaySeconds());
        assertEquals(2, d.options().maxLockAge());
    }

    // ------------------------------------------------------------------ access

    static Stream<Arguments> accessRules() {
        return Stream.of(
                Arguments.of("allow", true, false, Subnet.any()),
                Arguments.of("allow all", true, true, Subnet.any()),
                Arguments.of("deny all", false, true, Subnet.any()),
                Arguments.of("allow 1.2.3", true, false, Subnet.of(ip("1.2.3.0"), 24)),
                Arguments.of("allow 10", true, false, Subnet.of(ip("10.0.0.0"), 8)),
                Arguments.of("allow 192.168/16", true, false, Subnet.of(ip("192.168.0.0"), 16)),
                Arguments.of("deny 192.168.100/24", false, false, Subnet.of(ip("192.168.100.0"), 24)),
                Arguments.of("allow 1.2.3.4/24", true, false, Subnet.of(ip("1.2.3.4"), 24)),
                Arguments.of("allow 1.2.3.4", true, false, Subnet.of(ip("1.2.3.4"), 32)),
                Arguments.of("allow 1.2/8", true, false, Subnet.of(ip("1.2.0.0"), 8)),
                Arguments.of("allow ::/0", true, false, Subnet.of(ip("::"), 0)),
                Arguments.of("allow 2001:db8::/32", true, false, Subnet.of(ip("2001:db8::"), 32)),
                Arguments.of("allow all 2001:db8::1", true, true, Subnet.of(ip("2001:db8::1"), 128)),
                Arguments.of("allow ntp.example.net", true, false, Subnet.ofHostname("ntp.example.net")),
                Arguments.of("allow localhost", true, false, Subnet.ofHostname("localhost")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accessRules")
    void parsesAccessRule(String line, boolean allow, boolean all, Subnet subnet) throws ConfigException {
        Directive.Access a = (Directive.Access) one(line);
        assertEquals(allow, a.allow());
        assertEquals(all, a.all());
        assertEquals(subnet, a.subnet());
        assertThat(a.command()).isFalse();
        Directive.Access c = (Directive.Access) one("cmd" + line);
        assertThat(c.command()).isTrue();
        assertEquals(subnet, c.subnet());
    }

    @Test
    void commentsWhitespaceAndCase() throws ConfigException {
        ParseResult r = ConfigParser.parseLines(List.of(
                "# hash", "! bang", "; semi", "% percent", "   # indented comment", "", "   \t  ",
                "\t MaxUpdateSkew \t  100  "), "t");
        assertEquals(List.of(new Directive.RealSetting(new SourceLocation("t", 8), Keyword.MAXUPDATESKEW, 100.0)),
                r.directives());
        assertEquals(List.of("MaxUpdateSkew 100"), r.printedLines());
    }

    @Test
    void namesCompareCaseInsensitiveInAsciiOnly() throws ConfigException {
        assertEquals(Keyword.KEYFILE, one("KeyFile /k").keyword());
        // U+212A KELVIN SIGN lower-cases to 'k' in Java but strcasecmp does not fold it
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("\u212Aeyfile /k"))
                .hasMessage("test:1: Invalid directive \u212Aeyfile");
    }

    @Test
    void nulEndsALineAsInC() throws ConfigException {
        assertEquals(new Directive.Flag(L, Keyword.RTCSYNC), one("rtcsync\0 junk"));
    }

    @Test
    void commentMarkersOnlyCountAtLineStart() {
        // as in chronyd, "#" after a directive is just another word
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("server a # c"))
                .hasMessage("test:1: Invalid option in server directive (#)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("maxupdateskew 5 # c"))
                .hasMessage("test:1: Too many arguments for maxupdateskew directive");
    }
}
