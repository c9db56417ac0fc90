package org.jchrony.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jchrony.ntp.NtpTimestamp;

/** Shared pieces of the chronyd oracle tests: the request corpus, a parallel prober and reply normalisation. */
final class OracleSupport {
    private OracleSupport() {}

    record Entry(String name, byte[] bytes) {}

    static List<Entry> corpus() {
        try (InputStream in = OracleSupport.class.getResourceAsStream("/packets/ntp-requests.hex")) {
            List<Entry> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] p = line.split("\\s+");
                out.add(new Entry(p[0], HexFormat.of().parseHex(p[1])));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long nowNanos() {
        java.time.Instant i = java.time.Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** One probe: a request sent from a loopback source address. */
    record Probe(String source, byte[] request) {}

    /**
     * Sends every probe from its own socket bound to its source address (all at once), waits
     * for replies, and returns each reply (null when none came) in order.
     */
    static List<byte[]> probeAll(int port, List<Probe> probes, int waitMillis) throws IOException, InterruptedException {
        return probeAll("127.0.0.1", port, probes, waitMillis);
    }

    static List<byte[]> probeAll(String server, int port, List<Probe> probes, int waitMillis) throws IOException, InterruptedException {
        List<DatagramSocket> sockets = new ArrayList<>();
        List<byte[]> replies = new ArrayList<>();
        try {
            for (Probe p : probes) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(p.source()), 0));
                sockets.add(s);
                s.send(new DatagramPacket(p.request(), p.request().length, InetAddress.getByName(server), port));
            }
            Thread.sleep(waitMillis);
            // A late reply (a loaded machine) still counts: the probes share one deadline, so the
            // silent ones together cost at most 4 x waitMillis more.
            long deadline = System.nanoTime() + 4L * waitMillis * 1_000_000L;
            for (DatagramSocket s : sockets) {
                s.setSoTimeout((int) Math.max(5, (deadline - System.nanoTime()) / 1_000_000L));
                byte[] buf = new byte[2048];
                DatagramPacket dp = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(dp);
                    replies.add(java.util.Arrays.copyOf(buf, dp.getLength()));
                } catch (SocketTimeoutException e) {
                    replies.add(null);
                }
            }
        } finally {
            for (DatagramSocket s : sockets) s.close();
        }
        return replies;
    }

    /** Sends one request and waits up to {@code timeoutMillis} for its reply. */
    static byte[] exchange(DatagramSocket s, int port, byte[] request, int timeoutMillis) throws IOException {
        s.send(new DatagramPacket(request, request.length, InetAddress.getByName("127.0.0.1"), port));
        s.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[2048];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        try {
            s.receive(dp);
            return java.util.Arrays.copyOf(buf, dp.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static long getLong(byte[] b, int i) {
        long v = 0;
        for (int j = 0; j < 8; j++) v = v << 8 | (b[i + j] & 0xffL);
        return v;
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    /**
     * A reply described field by field, with timestamps replaced by their relation to the
     * request and to the local clock at the time of the exchange, so chronyd's and ours compare.
     */
    static String describe(byte[] reply, byte[] request, long nowNanos) {
        if (reply == null) return "no reply";
        if (reply.length < 48) return "short reply " + reply.length;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("len", reply.length);
        f.put("leap", (reply[0] >>> 6) & 3);
        f.put("version", (reply[0] >>> 3) & 7);
        f.put("mode", reply[0] & 7);
        f.put("stratum", reply[1] & 0xff);
        f.put("poll", (int) reply[2]);
        f.put("precision", (int) reply[3]);
        f.put("rootDelay", String.format("%08x", getInt(reply, 4)));
        f.put("rootDisp", String.format("%08x", getInt(reply, 8)));
        f.put("refId", String.format("%08x", getInt(reply, 12)));
        long nowNtp = NtpTimestamp.fromUnixNanos(nowNanos);
        long ref = getLong(reply, 16);
        long org = getLong(reply, 24);
        long rx = getLong(reply, 32);
        long tx = getLong(reply, 40);
        long reqTx = getLong(request, 40);
        double refAge = NtpTimestamp.diffSeconds(ref, rx);
        f.put("ref", ref == 0 ? "zero" : refAge >= 1.0 && refAge <= 66.0 ? "1..66s before rx" : "other " + refAge);
        f.put("origin", org == reqTx ? "request tx" : org == 0 ? "zero" : String.format("%016x", org));
        f.put("rx", Math.abs(NtpTimestamp.diffSeconds(nowNtp, rx)) < 2.0 ? "now" : "off " + NtpTimestamp.diffSeconds(nowNtp, rx));
        f.put("rxLsb", rx & 1);
        double txAfterRx = NtpTimestamp.diffSeconds(rx, tx);
        f.put("tx", txAfterRx >= -1e-6 && txAfterRx < 0.5 ? "just after rx" : "off " + txAfterRx);
        f.put("txLsb", tx & 1);
        if (reply.length == 76 && getInt(reply, 48) == 0xF323001C && getInt(reply, 52) == 0xF5BEDD9A) {
            // chronyd's experimental field: the monotonic RX time relative to rx, the epoch is random
            f.put("exp1RootDelay", String.format("%08x", getInt(reply, 56)));
            f.put("exp1RootDisp", String.format("%08x", getInt(reply, 60)));
            double monoMinusRx = NtpTimestamp.diffSeconds(rx, getLong(reply, 64));
            f.put("exp1Mono", Math.abs(monoMinusRx) < 1e-6 ? "rx" : "rx+" + monoMinusRx);
        } else {
            f.put("trailer", HexFormat.of().formatHex(reply, 48, reply.length));
        }
        return f.toString();
    }
}
