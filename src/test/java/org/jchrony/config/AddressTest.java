package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** IpAddress parses what inet_pton accepts, never resolves names; Subnet matching. */
class AddressTest {

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0.0.0.0", "192.0.2.255, 192.0.2.255", "::, ::", "::1, ::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1", "2001:db8:0:1:0:0:0:0, 2001:db8:0:1::",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3", "::ffff:192.0.2.1, ::ffff:c000:201", "fe80::1:2, fe80::1:2",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304"})
    void parsesLiterals(String text, String canonical) {
        assertEquals(canonical, IpAddress.parse(text).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "localhost",
        "example.com", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "fe80::1%eth0", "1.2.3.4/8", " 1.2.3.4"})
    void rejectsNonLiterals(String text) {
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    @Test
    void familiesAndBytes() {
        IpAddress v4 = IpAddress.parse("10.1.2.3").orElseThrow();
        assertEquals(IpAddress.Family.INET4, v4.family());
        assertEquals(32, v4.bitLength());
        assertEquals(IpAddress.Family.INET6, IpAddress.parse("::").orElseThrow().family());
        assertEquals(v4, IpAddress.ofBytes(new byte[] {10, 1, 2, 3}));
        assertEquals(IpAddress.parse("10.1.0.0").orElseThrow(), v4.masked(16));
    }

    @Test
    void subnetContains() {
        Subnet net = Subnet.of(IpAddress.parse("192.168.0.0").orElseThrow(), 16);
        assertThat(net.contains(IpAddress.parse("192.168.255.1").orElseThrow())).isTrue();
        assertThat(net.contains(IpAddress.parse("192.169.0.1").orElseThrow())).isFalse();
        assertThat(net.contains(IpAddress.parse("::1").orElseThrow())).isFalse();
        assertThat(Subnet.any().contains(IpAddress.parse("::1").orElseThrow())).isTrue();
        Subnet odd = Subnet.of(IpAddress.parse("10.0.0.0").orElseThrow(), 9);
        assertThat(odd.contains(IpAddress.parse("10.127.0.1").orElseThrow())).isTrue();
        assertThat(odd.contains(IpAddress.parse("10.128.0.1").orElseThrow())).isFalse();
        Subnet host = Subnet.ofHostname("ntp.example.net");
        assertThat(host.contains(IpAddress.parse("10.0.0.1").orElseThrow())).isFalse();
        assertEquals(Subnet.of(IpAddress.parse("10.0.0.1").orElseThrow(), 32),
                host.resolvedTo(IpAddress.parse("10.0.0.1").orElseThrow()));
    }

    @Test
    void scanningLikeTheCLibrary() {
        // glibc sscanf("%lf") reads greedily and never backs up (checked against chronyd 4.3 -p)
        assertEquals(new Scan.Prefix<>(5.0, "ppm"), Scan.doublePrefix("5ppm").orElseThrow());
        assertEquals(new Scan.Prefix<>(-0.5e-3, ""), Scan.doublePrefix("-.5e-3").orElseThrow());
        assertEquals(new Scan.Prefix<>(1.0, ""), Scan.doublePrefix("1e").orElseThrow());
        assertEquals(new Scan.Prefix<>(1.0, "x"), Scan.doublePrefix("1e+x").orElseThrow());
        assertEquals(new Scan.Prefix<>(1.0, " 2"), Scan.doublePrefix("1.e 2").orElseThrow());
        assertEquals(new Scan.Prefix<>(16.0, ""), Scan.doublePrefix("0x10").orElseThrow());
        assertEquals(new Scan.Prefix<>(12.0, ""), Scan.doublePrefix("0x1.8p3").orElseThrow());
        assertEquals(new Scan.Prefix<>(1.0, ""), Scan.doublePrefix("0x1p").orElseThrow());
        assertEquals(new Scan.Prefix<>(Double.POSITIVE_INFINITY, "x"), Scan.doublePrefix("infx").orElseThrow());
        assertEquals(new Scan.Prefix<>(Double.NEGATIVE_INFINITY, ""), Scan.doublePrefix("-Infinity").orElseThrow());
        assertEquals(new Scan.Prefix<>(Double.NaN, "(1)"), Scan.doublePrefix("nan(1)").orElseThrow());
        for (String bad : new String[] {"x1", "0x", "0xg", ".", "-", "+", "in", "infinit", "na", ""}) {
            assertThat(Scan.doublePrefix(bad)).as(bad).isEmpty();
        }
        assertEquals(new Scan.Prefix<>(12, "x"), Scan.intPrefix("12x").orElseThrow());
        assertEquals(new Scan.Prefix<>(-3, ""), Scan.intPrefix("-3").orElseThrow());
        assertEquals(new Scan.Prefix<>(1410065407, ""), Scan.intPrefix("9999999999").orElseThrow());
        assertThat(Scan.intPrefix("-")).isEmpty();
        assertThat(Scan.wholeLong("12x")).isEmpty();
        assertThat(Scan.wholeLong("99999999999999999999")).isEmpty();
        assertEquals(0xF323L, Scan.hex32Prefix("0xF323").orElseThrow().value());
        assertEquals(0xF323L, Scan.hex32Prefix("f323").orElseThrow().value());
        assertThat(Scan.hex32Prefix("0x")).isEmpty();
        assertEquals(4294967295L, Scan.uint32Prefix("-1").orElseThrow().value());
        assertEquals(0L, Scan.uint32Prefix("4294967296").orElseThrow().value());
        assertEquals(Long.MAX_VALUE, Scan.ulongPrefix("-1").orElseThrow().value());
        Scan.Cursor c = new Scan.Cursor("1-3 4");
        assertEquals(1.0, c.nextDouble().orElseThrow());
        assertEquals(-3, c.nextInt().orElseThrow());
        assertEquals(4, c.nextInt().orElseThrow());
        assertThat(c.nextInt()).isEmpty();
    }

    @Test
    void inetAtonForms() {
        assertEquals("1.2.3.4", IpAddress.parseInetAton("01.2.3.4").orElseThrow().toString());
        assertEquals("0.0.0.16", IpAddress.parseInetAton("0x10").orElseThrow().toString());
        assertEquals("10.0.1.2", IpAddress.parseInetAton("10.258").orElseThrow().toString());
        assertEquals("8.0.0.9", IpAddress.parseInetAton("010.9").orElseThrow().toString());
        assertThat(IpAddress.parseInetAton("1.2.3.4.5")).isEmpty();
        assertThat(IpAddress.parseInetAton("256.1.1.1")).isEmpty();
        assertThat(IpAddress.parseInetAton("08.1.1.1")).isEmpty();
        assertThat(IpAddress.parseInetAton("host")).isEmpty();
    }
}
