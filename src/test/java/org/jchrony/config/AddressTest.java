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
        assertEquals(new Scan.Prefix<>(5.0, "ppm"), Scan.doublePrefix("5ppm").orElseThrow());
        assertEquals(new Scan.Prefix<>(-0.5e-3, ""), Scan.doublePrefix("-.5e-3").orElseThrow());
        assertEquals(new Scan.Prefix<>(1.0, "e"), Scan.doublePrefix("1e").orElseThrow());
        assertThat(Scan.doublePrefix("x1")).isEmpty();
        assertEquals(new Scan.Prefix<>(12, "x"), Scan.intPrefix("12x").orElseThrow());
        assertEquals(new Scan.Prefix<>(-3, ""), Scan.intPrefix("-3").orElseThrow());
        assertThat(Scan.intPrefix("99999999999")).isEmpty();
        assertThat(Scan.wholeLong("12x")).isEmpty();
        assertEquals(0xF323L, Scan.hex32Prefix("0xF323").orElseThrow().value());
        assertEquals(0xF323L, Scan.hex32Prefix("f323").orElseThrow().value());
    }
}
