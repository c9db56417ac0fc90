package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jchrony.server.OracleSupport.Probe;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * For a table of allow/deny configurations, asks Debian's chronyd which 127.x.y.z client
 * addresses it answers (sending from sockets bound to those addresses) and checks that
 * {@link AccessList} built from the same lines decides the same. Skipped without chrony.
 */
class AccessListOracleTest {

    static final List<List<String>> CONFIGS = List.of(
            List.of("allow 127.0.0.0/8"),
            List.of("allow 127.0.0.0/8", "deny 127.0.0.2"),
            List.of("deny 127.0.0.2", "allow 127.0.0.0/8"),
            List.of("allow 127.0.0.0/24", "deny 127.0.0.0/30", "allow 127.0.0.2"),
            List.of("allow 127.0.0.0/8", "deny all 127.0.0.0/16"),
            List.of("allow 127.0.0.2", "allow 127.0.0.3", "deny all 127.0.0.0/24", "allow 127.0.0.3"),
            List.of("allow 127.0.0.0/8", "deny 127.0.0.2/31"),
            List.of("allow 127.0.0.2/31", "deny 127.0.0.0/30"),
            List.of("deny 127.0.0.0/30", "allow 127.0.0.2/31"),
            List.of("allow 127.0.0.0/10", "deny 127.0.0.0/12"),
            List.of("deny 127.0.0.0/12", "allow 127.0.0.0/10"),
            List.of("allow 127.0.0.0/9", "deny 127.0.0.0/11"),
            List.of("allow", "deny 127.0.0.5"),
            List.of("allow all", "deny 127.0.0.5", "allow 127.0.0.4/30"),
            List.of("allow 127.0.0.0/8", "deny all"),
            List.of("deny all", "allow 127.0.0.0/8"),
            List.of("allow 127.0.0.0/8", "deny 127.0.0.0/28", "allow 127.0.0.4/30", "deny 127.0.0.6"),
            List.of("allow 127.0.0.0/8", "deny", "allow 127.16.0.0/12"),
            List.of("allow 127.0.0.0/8", "allow all 127.0.0.0/8", "deny 127.1.0.0/16"),
            List.of("allow 127.128.0.0/9", "allow 127.0.0.1/32"),
            List.of("allow 127.0.0.0/8", "deny 127.0.0.1/31", "deny all 127.0.0.0/29", "allow 127.0.0.3"),
            List.of("allow ::1", "allow 127.0.0.16/28"),
            List.of("allow 0/0"),
            List.of("allow 127.0.0.0/30", "allow 127.0.0.4/30", "deny 127.0.0.0/29"),
            List.of());

    static final List<String> CLIENTS = List.of(
            "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7",
            "127.0.0.8", "127.0.0.15", "127.0.0.16", "127.0.0.17", "127.0.0.31", "127.0.0.200",
            "127.0.1.1", "127.0.16.1", "127.1.0.1", "127.15.0.1", "127.16.0.1", "127.31.255.1",
            "127.32.0.1", "127.64.0.1", "127.127.0.1", "127.128.0.1", "127.255.255.254");

    @Test
    void ipv6ClientsLikeChronyd() throws Exception {
        RealChronyd.assumeInstalled();
        byte[] request = OracleSupport.corpus().stream().filter(e -> e.name().equals("v4-mode3")).findFirst().orElseThrow().bytes();
        List<List<String>> configs = List.of(
                List.of("allow ::1"),
                List.of("allow 127.0.0.0/8", "allow ::/0", "deny ::1"),
                List.of("allow 127.0.0.0/8", "deny ::/0", "allow ::/1"),
                List.of("allow all", "deny ::0/127"),
                List.of("allow 127.0.0.0/8", "allow ::/0"),
                List.of("allow 127.0.0.0/8"),
                List.of("allow 127.0.0.0/8", "allow"));
        StringBuilder theirs = new StringBuilder();
        StringBuilder mine = new StringBuilder();
        byte[] loop6 = InetAddress.getByName("::1").getAddress();
        for (List<String> config : configs) {
            List<String> conf = new ArrayList<>(List.of("local stratum 10"));
            conf.addAll(config);
            AccessList acl = new AccessList();
            for (String line : config) apply(acl, line);
            try (RealChronyd c = RealChronyd.start(conf)) {
                byte[] reply = OracleSupport.probeAll("::1", c.ntpPort(), List.of(new Probe("::1", request)), 350).get(0);
                theirs.append(reply != null ? 'A' : '-');
            }
            mine.append(acl.allowed(loop6, PeerAddress.INET6) ? 'A' : '-');
        }
        assertThat(mine.toString()).isEqualTo(theirs.toString());
        assertThat(theirs.toString()).contains("A").contains("-");
    }

    /** Applies one chrony.conf allow/deny line to an AccessList, as the config layer will. */
    static void apply(AccessList acl, String line) throws Exception {
        String[] w = line.trim().split("\\s+");
        boolean allow = w[0].equals("allow");
        int i = 1;
        boolean all = false;
        if (w.length > i && w[i].equals("all")) {
            all = true;
            i++;
        }
        if (w.length <= i) {
            assertThat(acl.add(allow, all, null, 0)).isTrue();
            return;
        }
        String spec = w[i];
        String host = spec.contains("/") ? spec.substring(0, spec.indexOf('/')) : spec;
        byte[] addr;
        if (host.equals("0")) addr = new byte[4];
        else addr = InetAddress.getByName(host).getAddress();
        int bits = spec.contains("/") ? Integer.parseInt(spec.substring(spec.indexOf('/') + 1)) : addr.length * 8;
        assertThat(acl.add(allow, all, addr, bits)).isTrue();
    }

    @Test
    void agreesWithChronydOnEveryConfigAndClient() throws Exception {
        RealChronyd.assumeInstalled();
        byte[] request = OracleSupport.corpus().stream().filter(e -> e.name().equals("v4-mode3")).findFirst().orElseThrow().bytes();
        Map<String, String> chronyd = new LinkedHashMap<>();
        Map<String, String> ours = new LinkedHashMap<>();
        for (List<String> config : CONFIGS) {
            List<String> conf = new ArrayList<>(List.of("local stratum 10"));
            conf.addAll(config);
            AccessList acl = new AccessList();
            for (String line : config) apply(acl, line);
            List<Probe> probes = CLIENTS.stream().map(c -> new Probe(c, request)).toList();
            List<byte[]> replies;
            if (!acl.isAnyAllowed(PeerAddress.INET4) && config.isEmpty()) {
                // chronyd does not even open its NTP socket then; nothing to ask
                replies = new ArrayList<>();
                for (int k = 0; k < CLIENTS.size(); k++) replies.add(null);
            } else {
                try (RealChronyd c = RealChronyd.start(conf)) {
                    replies = OracleSupport.probeAll(c.ntpPort(), probes, 350);
                }
            }
            StringBuilder theirs = new StringBuilder();
            StringBuilder mine = new StringBuilder();
            for (int k = 0; k < CLIENTS.size(); k++) {
                theirs.append(replies.get(k) != null ? 'A' : '-');
                mine.append(acl.allowed(InetAddress.getByName(CLIENTS.get(k)).getAddress(), PeerAddress.INET4) ? 'A' : '-');
            }
            chronyd.put(String.join("; ", config), theirs.toString());
            ours.put(String.join("; ", config), mine.toString());
        }
        assertThat(ours).containsExactlyEntriesOf(chronyd);
        // the table must discriminate: some configs allow some clients and deny others
        assertThat(chronyd.values()).anyMatch(v -> v.contains("A") && v.contains("-"));
    }
}
