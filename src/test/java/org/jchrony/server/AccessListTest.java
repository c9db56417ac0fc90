package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AccessListTest {

    static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    static boolean allowed(AccessList acl, String s) throws Exception {
        byte[] a = ip(s);
        return acl.allowed(a, a.length == 4 ? PeerAddress.INET4 : PeerAddress.INET6);
    }

    @Test
    void defaultDeniesEverything() throws Exception {
        AccessList acl = new AccessList();
        assertThat(allowed(acl, "10.1.2.3")).isFalse();
        assertThat(allowed(acl, "::1")).isFalse();
        assertThat(acl.isAnyAllowed(PeerAddress.INET4)).isFalse();
        assertThat(acl.allowed(new byte[16], PeerAddress.UNIX)).isFalse();
    }

    @Test
    void moreSpecificWinsRegardlessOfOrder() throws Exception {
        AccessList a = new AccessList();
        a.add(false, false, ip("192.168.1.0"), 24);
        a.add(true, false, ip("192.168.0.0"), 16);
        assertThat(allowed(a, "192.168.1.7")).isFalse();
        assertThat(allowed(a, "192.168.2.7")).isTrue();
        assertThat(allowed(a, "192.169.0.1")).isFalse();
    }

    @Test
    void allVariantDeletesMoreSpecificRules() throws Exception {
        AccessList a = new AccessList();
        a.add(true, false, ip("10.0.0.1"), 32);
        a.add(false, false, ip("10.0.0.0"), 8);
        assertThat(allowed(a, "10.0.0.1")).isTrue();
        a.add(false, true, ip("10.0.0.0"), 8);
        assertThat(allowed(a, "10.0.0.1")).isFalse();
    }

    @Test
    void nonNibblePrefixesSetSiblingNodes() throws Exception {
        AccessList a = new AccessList();
        a.add(true, false, ip("10.0.0.0"), 10); // 10.0.0.0 - 10.63.255.255
        assertThat(allowed(a, "10.63.1.1")).isTrue();
        assertThat(allowed(a, "10.64.1.1")).isFalse();
        a.add(false, false, ip("10.16.0.0"), 12); // same trie depth as /10: later wins there
        assertThat(allowed(a, "10.16.0.1")).isFalse();
        assertThat(allowed(a, "10.32.0.1")).isTrue();
        a.add(true, false, ip("10.0.0.0"), 10);
        assertThat(allowed(a, "10.16.0.1")).isTrue();
    }

    @Test
    void ipv6AndAnyAddress() throws Exception {
        AccessList a = new AccessList();
        a.add(true, false, ip("2001:db8::"), 32);
        assertThat(allowed(a, "2001:db8::1")).isTrue();
        assertThat(allowed(a, "2001:db9::1")).isFalse();
        assertThat(allowed(a, "10.0.0.1")).isFalse();
        assertThat(a.isAnyAllowed(PeerAddress.INET6)).isTrue();
        assertThat(a.isAnyAllowed(PeerAddress.INET4)).isFalse();
        a.add(true, false, null, 0);
        assertThat(allowed(a, "10.0.0.1")).isTrue();
        assertThat(allowed(a, "fe80::1")).isTrue();
        a.add(false, false, ip("2001:db8::5"), 128);
        assertThat(allowed(a, "2001:db8::5")).isFalse();
        assertThat(allowed(a, "2001:db8::4")).isTrue();
    }

    @Test
    void badSubnetsRejected() throws Exception {
        AccessList a = new AccessList();
        assertThat(a.add(true, false, ip("10.0.0.0"), 33)).isFalse();
        assertThat(a.add(true, false, ip("10.0.0.0"), -1)).isFalse();
        assertThat(a.add(true, false, null, 8)).isFalse();
        assertThat(a.add(true, false, new byte[5], 8)).isFalse();
        assertThat(allowed(a, "10.0.0.1")).isFalse();
    }

    @Test
    void copyIsIndependentAndPeerLookupWorks() throws Exception {
        AccessList a = new AccessList();
        a.add(true, false, ip("127.0.0.0"), 8);
        AccessList b = new AccessList(a);
        b.add(false, false, ip("127.0.0.2"), 32);
        PeerAddress p = new PeerAddress();
        p.setInet4(0x7f000002, 123);
        assertThat(a.allowed(p)).isTrue();
        assertThat(b.allowed(p)).isFalse();
        p.setUnix();
        assertThat(a.allowed(p)).isFalse();
    }
}
