package org.jchrony.cmdmon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jchrony.net.UnixDatagramSocket;
import org.jchrony.server.PeerAddress;
import org.jchrony.testutil.RealChronyd;
import org.junit.jupiter.api.Test;

/**
 * Malformed and unusual command packets: our {@link CommandHandler} must answer exactly what
 * chronyd 4.3 answers (same bytes, or silence), over UDP from 127.0.0.1 and over the Unix
 * socket, and never throw.
 */
class MalformedRequestTest {
    static byte[] request(int version, int type, int res1, int res2, int command, int length) {
        byte[] b = new byte[length];
        if (length > 0) b[0] = (byte) version;
        if (length > 1) b[1] = (byte) type;
        if (length > 2) b[2] = (byte) res1;
        if (length > 3) b[3] = (byte) res2;
        if (length > 5) {
            b[4] = (byte) (command >> 8);
            b[5] = (byte) command;
        }
        if (length > 11) {
            b[8] = 0x12;
            b[9] = 0x34;
            b[10] = 0x56;
            b[11] = 0x78;
        }
        return b;
    }

    static Map<String, byte[]> cases() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        int t = Candm.REQ_TRACKING;
        m.put("valid tracking", request(6, 1, 0, 0, t, 104));
        m.put("empty", new byte[0]);
        m.put("1 byte", request(6, 1, 0, 0, t, 1));
        m.put("header only 20", request(6, 1, 0, 0, t, 20));
        m.put("27 bytes", request(6, 1, 0, 0, t, 27));
        m.put("28 bytes tracking", request(6, 1, 0, 0, t, 28));
        m.put("103 bytes tracking", request(6, 1, 0, 0, t, 103));
        m.put("105 bytes tracking", request(6, 1, 0, 0, t, 105));
        m.put("860 bytes tracking", request(6, 1, 0, 0, t, 860));
        m.put("861 bytes tracking", request(6, 1, 0, 0, t, 861));
        m.put("reply type", request(6, 2, 0, 0, t, 104));
        m.put("type 0", request(6, 0, 0, 0, t, 104));
        m.put("res1 set", request(6, 1, 1, 0, t, 104));
        m.put("res2 set", request(6, 1, 0, 0x80, t, 104));
        m.put("version 5", request(5, 1, 0, 0, t, 104));
        m.put("version 4", request(4, 1, 0, 0, t, 104));
        m.put("version 7", request(7, 1, 0, 0, t, 104));
        m.put("version 255", request(255, 1, 0, 0, t, 104));
        m.put("version 5 short", request(5, 1, 0, 0, t, 28));
        m.put("command 75", request(6, 1, 0, 0, 75, 104));
        m.put("command 65535", request(6, 1, 0, 0, 65535, 104));
        m.put("command 12 LOCAL", request(6, 1, 0, 0, 12, 104));
        m.put("command 27 ADD_SERVER", request(6, 1, 0, 0, 27, 400));
        m.put("command 38", request(6, 1, 0, 0, 38, 104));
        m.put("command 0 NULL", request(6, 1, 0, 0, 0, 28));
        m.put("command 10 LOGON", request(6, 1, 0, 0, 10, 32));
        m.put("n_sources 28", request(6, 1, 0, 0, Candm.REQ_N_SOURCES, 28));
        m.put("n_sources 32", request(6, 1, 0, 0, Candm.REQ_N_SOURCES, 32));
        m.put("source_data 75", request(6, 1, 0, 0, Candm.REQ_SOURCE_DATA, 75));
        m.put("source_data index 99", request(6, 1, 0, 0, Candm.REQ_SOURCE_DATA, 76));
        m.put("serverstats 71", request(6, 1, 0, 0, Candm.REQ_SERVER_STATS, 71));
        m.put("serverstats 72", request(6, 1, 0, 0, Candm.REQ_SERVER_STATS, 72));
        m.put("ntpdata 151", request(6, 1, 0, 0, Candm.REQ_NTP_DATA, 151));
        m.put("manual option 7", request(6, 1, 0, 0, Candm.REQ_MANUAL, 28));
        m.put("smoothtime option 9", request(6, 1, 0, 0, Candm.REQ_SMOOTHTIME, 28));
        m.put("sourcestats 83", request(6, 1, 0, 0, Candm.REQ_SOURCESTATS, 83));
        m.put("clients 519", request(6, 1, 0, 0, Candm.REQ_CLIENT_ACCESSES_BY_INDEX3, 519));
        m.put("add_source type 9", request(6, 1, 0, 0, Candm.REQ_ADD_SOURCE, 372));
        byte[] unterminated = request(6, 1, 0, 0, Candm.REQ_ADD_SOURCE, 372);
        unterminated[23] = 1;
        Arrays.fill(unterminated, 24, 280, (byte) 'a');
        m.put("add_source unterminated name", unterminated);
        byte[] manual = m.get("manual option 7");
        manual[23] = 7;
        byte[] smooth = m.get("smoothtime option 9");
        smooth[23] = 9;
        byte[] sd = m.get("source_data index 99");
        sd[23] = 99;
        byte[] pads = request(6, 1, 0, 0, t, 104);
        Arrays.fill(pads, 12, 20, (byte) 0xff);
        m.put("pad1/pad2 set", pads);
        Random r = new Random(42);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[28 + r.nextInt(120)];
            r.nextBytes(b);
            b[0] = 6;
            b[1] = 1;
            b[2] = 0;
            b[3] = 0;
            b[4] = 0;
            int cmd = r.nextInt(72);
            if (cmd == 3 || cmd == 1 || cmd == 2 || cmd == 62 || cmd == 64 || cmd == 11 || cmd == 66 || cmd == 70
                    || cmd == 43 || cmd == 31 || cmd == 71 || cmd == 56 || cmd == 48 || cmd == 53 || cmd == 63 || cmd == 37
                    || cmd == 16 || cmd == 6 || cmd == 29 || cmd == 13 || cmd == 42 || cmd == 52 || cmd == 50 || cmd == 49
                    || (cmd >= 4 && cmd <= 9) || (cmd >= 17 && cmd <= 24) || (cmd >= 45 && cmd <= 47)) {
                cmd = Candm.REQ_TRACKING; // state-changing commands: don't fuzz the oracle's state
            }
            b[5] = (byte) cmd;
            m.put("random " + i + " cmd " + cmd, b);
        }
        return m;
    }

    @Test
    void handlerAnswersLikeChronydOrStaysSilent() throws Exception {
        try (RealChronyd d = RealChronyd.start(List.of("cmdallow 127.0.0.0/8"));
             DatagramSocket udp = new DatagramSocket();
             UnixDatagramSocket unix = UnixDatagramSocket.open()) {
            udp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), d.cmdPort()));
            udp.setSoTimeout(300);
            unix.bind(d.dir().resolve("probe.sock"));
            unix.connect(d.socketPath().toString());
            InMemoryTarget target = new InMemoryTarget();
            target.tracking = null; // filled below from chronyd's own tracking reply
            CommandHandler ours = new CommandHandler(target, p -> false);
            List<String> mismatches = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : cases().entrySet()) {
                byte[] req = e.getValue();
                for (boolean overUnix : new boolean[] {false, true}) {
                    byte[] expected = overUnix ? viaUnix(unix, req) : viaUdp(udp, req);
                    if (target.tracking == null && expected != null && expected.length == 104) {
                        target.tracking = ((ReplyBody.Tracking) CandmCodec.decodeReply(expected, 104).body()).report();
                    }
                    PeerAddress peer = new PeerAddress();
                    if (overUnix) peer.setUnix();
                    else peer.setInet4(0x7f000001, 40000);
                    byte[] out = new byte[2048];
                    int n = ours.handle(req, req.length, peer, 0L, out);
                    byte[] actual = n == 0 ? null : Arrays.copyOf(out, n);
                    String exp = expected == null ? "silence" : HexFormat.of().formatHex(expected);
                    String act = actual == null ? "silence" : HexFormat.of().formatHex(actual);
                    if (!exp.equals(act) && !(expected != null && actual != null && sameStatus(expected, actual)
                            && (e.getKey().startsWith("random") || e.getKey().startsWith("serverstats")))) {
                        mismatches.add(e.getKey() + (overUnix ? " unix" : " udp") + "\n chronyd " + exp + "\n ours    " + act);
                    }
                }
            }
            assertThat(mismatches).isEmpty();
        }
    }

    /** Report contents differ (our target is not chronyd's state); header, status and length must agree. */
    static boolean sameStatus(byte[] a, byte[] b) {
        return a.length == b.length && Arrays.equals(Arrays.copyOf(a, 28), Arrays.copyOf(b, 28));
    }

    static byte[] viaUdp(DatagramSocket s, byte[] req) throws Exception {
        s.send(new DatagramPacket(req, req.length));
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static byte[] viaUnix(UnixDatagramSocket s, byte[] req) throws Exception {
        s.send(req, 0, req.length);
        byte[] buf = new byte[2048];
        UnixDatagramSocket.Received r = s.receive(buf, 300);
        return r == null ? null : Arrays.copyOf(buf, r.length());
    }

    @Test
    void fuzzedPacketsNeverThrow() {
        InMemoryTarget target = new InMemoryTarget();
        target.sources.add(new SourceReport(IpAddr.parse("127.0.0.1"), 6, 2, 0, 0, 0, 1, 1, 0, 0, 0));
        CommandHandler h = new CommandHandler(target, p -> true);
        Random r = new Random(7);
        byte[] out = new byte[2048];
        PeerAddress unix = new PeerAddress();
        unix.setUnix();
        PeerAddress udp = new PeerAddress();
        udp.setInet4(0x0a000001, 1);
        int answered = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[r.nextInt(900)];
            r.nextBytes(b);
            if (b.length > 5 && r.nextInt(4) > 0) {
                b[0] = 6;
                b[1] = 1;
                b[2] = 0;
                b[3] = 0;
                b[4] = 0;
                b[5] = (byte) r.nextInt(80);
            }
            int n = h.handle(b, b.length, i % 2 == 0 ? unix : udp, 0, out);
            assertThat(n).isBetween(0, b.length);
            if (n > 0) {
                answered++;
                CandmCodec.decodeReply(out, n); // what we send decodes
            }
        }
        assertThat(h.internalErrors()).isZero();
        assertThat(answered).isGreaterThan(50_000);
    }

    @Test
    void newerCommandsAndGenerations() {
        InMemoryTarget target = new InMemoryTarget();
        CommandHandler h = new CommandHandler(target, p -> false);
        PeerAddress unix = new PeerAddress();
        unix.setUnix();
        byte[] out = new byte[2048];
        // SERVER_STATS padded as chronyc 4.4+: 196-byte reply with 64-bit counters
        target.serverStats = new ServerStatsReport(1L << 33, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
        byte[] req = CandmCodec.encodeRequest(new CandmCodec.Request(6, 0, 7, new Command.NoData(Candm.REQ_SERVER_STATS)), true);
        assertThat(req).hasSize(196);
        int n = h.handle(req, req.length, unix, 0, out);
        CandmCodec.Reply r = CandmCodec.decodeReply(out, n);
        assertThat(r.replyCode()).isEqualTo(Candm.RPY_SERVER_STATS4);
        assertThat(((ReplyBody.ServerStats) r.body()).report()).isEqualTo(target.serverStats);
        // the same from chronyc 4.3 (72 bytes): 32-bit counters
        req = CandmCodec.encodeRequest(new CandmCodec.Request(6, 0, 7, new Command.NoData(Candm.REQ_SERVER_STATS)), false);
        n = h.handle(req, req.length, unix, 0, out);
        assertThat(n).isEqualTo(72);
        // NTP_DATA2 for 172-byte requests
        IpAddr a = IpAddr.parse("127.0.0.1");
        target.ntpData.add(new NtpDataReport(a, a, 123, 0, 4, 4, 1, 6, -20, 0, 0, 0, Timespec.ZERO, 0, 0, 0, 0, 0, 0,
                'K', 'K', 1, 2, 3, 4, 5, 6, 7, 8));
        req = CandmCodec.encodeRequest(new CandmCodec.Request(6, 0, 7, new Command.Address(Candm.REQ_NTP_DATA, a)), true);
        n = h.handle(req, req.length, unix, 0, out);
        r = CandmCodec.decodeReply(out, n);
        assertThat(r.replyCode()).isEqualTo(Candm.RPY_NTP_DATA2);
        assertThat(((ReplyBody.NtpData) r.body()).report().totalHwRxTs()).isEqualTo(8);
        // LOCAL3, MODIFY_SELECTOPTS and MODIFY_OFFSET (chronyc 4.4+) reach the target over the Unix socket
        for (Command c : List.of(new Command.Local(Candm.REQ_LOCAL3, true, 5, 1.0, true, 2.0, 3.0, 4.0),
                new Command.ModifySelectOpts(a, 0, 1, 1), new Command.ModifyOffset(a, 0, 0.5))) {
            req = CandmCodec.encodeRequest(new CandmCodec.Request(6, 0, 7, c), true);
            n = h.handle(req, req.length, unix, 0, out);
            assertThat(CandmCodec.decodeReply(out, n).status()).isZero();
        }
        assertThat(target.calls).contains("local true 5 1.0 true", "selectopts 127.0.0.1 0 1 0", "offset 127.0.0.1 0.5");
        // over UDP they are not authorised; from a non-allowed host, silence
        PeerAddress lo = new PeerAddress();
        lo.setInet4(0x7f000001, 1);
        n = h.handle(req, req.length, lo, 0, out);
        assertThat(CandmCodec.decodeReply(out, n).status()).isEqualTo(Status.UNAUTH.code());
        PeerAddress remote = new PeerAddress();
        remote.setInet4(0x0a000001, 1);
        req = CandmCodec.encodeRequest(new CandmCodec.Request(6, 0, 7, new Command.NoData(Candm.REQ_TRACKING)), false);
        assertThat(h.handle(req, req.length, remote, 0, out)).isZero();
        CommandHandler allowing = new CommandHandler(target, p -> p.inet4() == 0x0a000001);
        assertThat(allowing.handle(req, req.length, remote, 0, out)).isEqualTo(104);
        // rate limiting by the target applies to remote hosts only
        target.admitRemote = false;
        int logged = target.accessesLogged;
        assertThat(allowing.handle(req, req.length, remote, 0, out)).isZero();
        assertThat(allowing.handle(req, req.length, lo, 0, out)).isEqualTo(104);
        assertThat(target.accessesLogged).isEqualTo(logged + 2);
        target.admitRemote = true;
        // 127.0.0.2 is not chronyd's "localhost"
        PeerAddress lo2 = new PeerAddress();
        lo2.setInet4(0x7f000002, 1);
        assertThat(h.handle(req, req.length, lo2, 0, out)).isZero();
    }
}
