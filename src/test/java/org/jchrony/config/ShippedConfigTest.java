package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Configuration files distributions ship (copied into test resources) parse without error. */
class ShippedConfigTest {

    static Path resource(String name) {
        try {
            return Path.of(ShippedConfigTest.class.getResource("/config/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-chrony.conf", "rhel-chrony.conf", "chrony.conf.example1", "chrony.conf.example2",
            "chrony.conf.example3", "all-directives-4.8.conf"})
    void parsesWithoutError(String name) throws ConfigException {
        ParseResult r = ConfigParser.parseFile(resource(name));
        DaemonConfig cfg = DaemonConfig.from(r);
        assertThat(r.directives()).isNotEmpty();
        assertEquals(r.warnings(), cfg.warnings());
    }

    @Test
    void largeConfigParsesQuickly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            sb.append("server 10.").append(i / 65536).append('.').append((i / 256) % 256).append('.').append(i % 256)
                    .append(" iburst minpoll 4 maxpoll 8 maxdelay 0.5\n");
            sb.append("allow 10.").append(i % 256).append("/16\n# comment ").append(i).append('\n');
        }
        Path f = dir.resolve("big.conf");
        java.nio.file.Files.writeString(f, sb);
        long t0 = System.nanoTime();
        DaemonConfig c = DaemonConfig.from(ConfigParser.parseFile(f));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(20000, c.sources().size());
        assertEquals(20000, c.ntpAccess().size());
        assertThat(ms).isLessThan(5000);
    }

    @Test
    void debianConfig() throws ConfigException {
        ParseResult r = ConfigParser.parseFile(resource("debian-chrony.conf"));
        DaemonConfig c = DaemonConfig.from(r);
        assertEquals(1, c.sources().size());
        Directive.NtpSource pool = c.sources().get(0);
        assertEquals(Directive.SourceType.POOL, pool.type());
        assertEquals("2.debian.pool.ntp.org", pool.name());
        assertThat(pool.options().iburst()).isTrue();
        assertEquals(4, pool.options().maxSources());
        assertEquals(List.of("/run/chrony-dhcp", "/etc/chrony/sources.d"),
                c.sourceDirs().stream().flatMap(s -> s.directories().stream()).toList());
        assertEquals(Optional.of("/etc/chrony/chrony.keys"), c.keyFile());
        assertEquals(Optional.of("/var/lib/chrony/chrony.drift"), c.driftFile());
        assertEquals(Optional.of("/var/lib/chrony"), c.nts().dumpDir());
        assertEquals(Optional.of("/var/log/chrony"), c.logDir());
        assertEquals(100.0, c.maxUpdateSkewPpm());
        assertThat(c.rtcSync()).isTrue();
        assertEquals(1.0, c.makeStepThresholdSeconds());
        assertEquals(3, c.makeStepLimit());
        assertEquals(Optional.of("right/UTC"), c.leapSecTz());
        assertThat(c.ntpAccess()).isEmpty();
        // ntsdumpdir (line 25) is implemented since NTS: Debian's shipped file gives no warning at all
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void rhelConfig() throws ConfigException {
        DaemonConfig c = DaemonConfig.from(ConfigParser.parseFile(resource("rhel-chrony.conf")));
        assertEquals("2.rhel.pool.ntp.org", c.sources().get(0).name());
        assertEquals(Optional.of("/etc/chrony.keys"), c.keyFile());
        assertEquals(Optional.of("/var/lib/chrony/drift"), c.driftFile());
        assertEquals(List.of("/run/chrony-dhcp"), c.sourceDirs().get(0).directories());
    }

    @Test
    void uncommentedExample3ParsesButHasConflictsChronydRefusesAtStart() throws ConfigException {
        // every "! directive" line of Debian's example3 made active
        Path f = resource("example3-uncommented.conf");
        ParseResult r = ConfigParser.parseFile(f);
        assertThat(r.directives()).hasSizeGreaterThan(40);
        assertThatThrownBy(() -> DaemonConfig.from(r))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(": Rate limiting cannot be enabled with noclientlog");
    }

    @Test
    void allDirectivesFile() throws ConfigException {
        Path f = resource("all-directives-4.8.conf");
        ParseResult r = ConfigParser.parseFile(f);
        DaemonConfig c = DaemonConfig.from(r);
        assertEquals(6, c.sources().size());
        assertEquals(3, c.refclocks().size());
        assertEquals(Directive.AuthSelectMode.PREFER, c.authSelectMode());
        assertEquals(Directive.LeapSecMode.SLEW, c.leapSecMode());
        assertEquals(600, c.driftFileIntervalSeconds());
        assertEquals(new RateLimitSettings(true, 1, 16, 3, 2), c.ntpRateLimit());
        assertEquals(new RateLimitSettings(true, 7, 4, 2, 0), c.ntsRateLimit());
        assertEquals(new RateLimitSettings(true, -4, 16, 2, 0), c.cmdRateLimit());
        assertEquals(4, c.ntpAccess().size());
        assertEquals(2, c.cmdAccess().size());
        assertEquals(IpAddress.parse("192.0.2.1").orElseThrow(), c.bindAddress4());
        assertEquals(IpAddress.parse("2001:db8::1").orElseThrow(), c.bindAddress6());
        assertEquals(2, c.hwTimestamps().size());
        assertEquals(2, c.broadcasts().size());
        assertEquals(List.of(30, 15), c.nts().aeads());
        assertEquals(2, c.nts().trustedCerts().size());
        assertEquals(24, c.ptpDomain());
        assertEquals(319, c.ptpPort());
        assertThat(c.local()).isPresent();
        assertThat(c.local().orElseThrow().orphan()).isTrue();
        assertEquals(32, c.maxSamples());
        assertEquals(4, c.minSamples());
        assertEquals(20, c.logBanner());
        // warnings name file:line and directive for everything not implemented
        assertThat(r.warnings()).contains(f + ":9: refclock directive is not supported by jchronyd and is ignored",
                f + ":8: initstepslew directive is not supported by jchronyd and is ignored");
        assertThat(r.warnings()).noneMatch(w -> w.contains(" server directive") || w.contains("dumponexit"));
        for (String w : r.warnings()) {
            assertThat(w).startsWith(f + ":");
        }
    }
}
