package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jchrony.server.OracleSupport.Probe;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * Authenticated requests (MD5, SHA1, SHA256, SHA512, AES128, AES256 keys; NTPv3 and v4; wrong
 * digests; unknown key ids; over-long v4 MACs) signed with our {@link KeyTable}, sent to Debian's
 * chronyd with the same keyfile and to our {@link Responder}: the same requests must be answered,
 * with the same header fields and a MAC of the same key and length that verifies. Skipped
 * without chrony.
 */
class KeysOracleTest {
    static final List<String> KEYS = List.of(
            "1 MD5 HEX:6B65792D6F6E652D6D6435",
            "2 SHA1 ASCII:key-two-sha1",
            "3 SHA256 HEX:000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "4 SHA512 key-four",
            "5 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C",
            "6 AES256 HEX:603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
            "7 SHA3-256 HEX:0123456789");

    record Case(String name, byte[] request) {}

    static List<Case> cases(KeyTable keys) {
        List<Case> out = new ArrayList<>();
        byte[] base = OracleSupport.corpus().stream().filter(e -> e.name().equals("v4-mode3")).findFirst().orElseThrow().bytes();
        for (int version : new int[] {3, 4}) {
            for (int id = 1; id <= 7; id++) {
                byte[] req = Arrays.copyOf(base, 48 + 68);
                req[0] = (byte) (version << 3 | 3);
                int n = keys.sign(id, version, req, 48);
                out.add(new Case("v" + version + "-key" + id, Arrays.copyOf(req, n)));
                byte[] bad = Arrays.copyOf(req, n);
                bad[n - 1] ^= 1;
                out.add(new Case("v" + version + "-key" + id + "-bad-digest", bad));
                byte[] unknown = Arrays.copyOf(req, n);
                unknown[51] = 99;
                out.add(new Case("v" + version + "-key" + id + "-unknown-id", unknown));
            }
        }
        // SHA512 with the full 64-byte digest in NTPv4: not a valid NTPv4 MAC length
        byte[] req = Arrays.copyOf(base, 48 + 68);
        int n = keys.sign(4, 3, req, 48);
        req[0] = (byte) (4 << 3 | 3);
        out.add(new Case("v4-key4-untruncated", Arrays.copyOf(req, n)));
        // symmetric active with a key
        byte[] active = Arrays.copyOf(base, 48 + 24);
        active[0] = (byte) (4 << 3 | 1);
        out.add(new Case("v4-mode1-key2", Arrays.copyOf(active, keys.sign(2, 4, active, 48))));
        // extension field then MAC
        byte[] ef = Arrays.copyOf(base, 48 + 28 + 24);
        ef[48] = 0x12;
        ef[51] = 28;
        out.add(new Case("v4-ef28-key1", Arrays.copyOf(ef, keys.sign(1, 4, ef, 76))));
        return out;
    }

    static String describe(byte[] reply, byte[] request, long now, KeyTable keys) {
        if (reply == null) return "no reply";
        String header = OracleSupport.describe(Arrays.copyOf(reply, 48), request, now);
        if (reply.length == 48) return header + " no MAC";
        long keyId = OracleSupport.getInt(reply, 48) & 0xffffffffL;
        int truncated = ((reply[0] >>> 3) & 7) == 4 && reply.length - 48 <= 24 ? 20 : 64;
        boolean valid = keys.verify(keyId, reply, 48, reply.length - 48, truncated);
        return header + " MAC key " + keyId + " length " + (reply.length - 48) + (valid ? " valid" : " INVALID");
    }

    @Test
    void authenticatedRequestsAnsweredLikeChronyd() throws Exception {
        RealChronyd.assumeInstalled();
        KeyTable keys = new KeyTable();
        for (String line : KEYS) keys.addLine(line);
        List<Case> cases = cases(keys);
        Path dir = Files.createTempDirectory("keys-");
        Path keyFile = dir.resolve("chrony.keys");
        Files.write(keyFile, KEYS);
        Map<String, String> theirs = new LinkedHashMap<>();
        Map<String, String> ours = new LinkedHashMap<>();
        int precision;
        try (RealChronyd c = RealChronyd.start(List.of("local stratum 10", "allow 127.0.0.0/8", "keyfile " + keyFile))) {
            long now = OracleSupport.nowNanos();
            List<byte[]> replies = OracleSupport.probeAll(c.ntpPort(),
                    cases.stream().map(k -> new Probe("127.0.0.1", k.request())).toList(), 400);
            for (int i = 0; i < cases.size(); i++) {
                theirs.put(cases.get(i).name(), describe(replies.get(i), cases.get(i).request(), now, keys));
            }
            precision = replies.stream().filter(r -> r != null).findFirst().orElseThrow()[3];
        } finally {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(dir);
        }
        AccessList acl = new AccessList();
        acl.add(true, false, new byte[] {127, 0, 0, 0}, 8);
        ClientLog log = ClientLog.unlimited(new SplittableRandom(1));
        Responder r = new Responder(new ServerSnapshotHolder(ServerSnapshot.localStratum(10, precision)),
                OracleSupport::nowNanos, acl, log, keys, new SplittableRandom(2));
        PeerAddress peer = new PeerAddress();
        peer.setInet4(0x7f000001, 40000);
        byte[] out = new byte[1024];
        for (Case k : cases) {
            long now = OracleSupport.nowNanos();
            int n = r.handle(k.request(), k.request().length, peer, now, out);
            ours.put(k.name(), describe(n == 0 ? null : Arrays.copyOf(out, n), k.request(), now, keys));
        }
        assertThat(ours).containsExactlyEntriesOf(theirs);
        assertThat(theirs.values()).filteredOn(v -> v.endsWith(" valid")).hasSizeGreaterThan(10);
        assertThat(log.serverStats().ntpAuthHits()).isEqualTo(theirs.values().stream().filter(v -> v.endsWith(" valid")).count());
    }
}
