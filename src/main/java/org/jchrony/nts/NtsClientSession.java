package org.jchrony.nts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jchrony.auth.AesSiv;
import org.jchrony.ntp.ExtensionField;
import org.jchrony.ntp.NtpPacket;

/**
 * The client's side of NTS (RFC 8915) for one source, as chronyd 4.3's client: the NTS-KE
 * request (NTPv4, AEAD_AES_SIV_CMAC_256) and the checks of its response (Next Protocol [0] and
 * AEAD [15] present, no Error record, no unknown critical record, at least one cookie); then,
 * per NTP request, a 32-byte random Unique Identifier, one cookie (each used once), enough
 * Cookie Placeholders to get back to {@value #MAX_COOKIES} cookies, and an authenticator
 * (16-byte nonce, empty encrypted part) under the C2S key; per response, the Unique Identifier
 * must match the outstanding request and the authenticator verify with the S2C key; the cookies
 * in its encrypted part are kept. An NTS NAK (KoD NTSN with our Unique Identifier) drops the
 * keys and cookies, so that the next poll does a new NTS-KE. Not thread-safe.
 */
public final class NtsClientSession {
    public static final int MAX_COOKIES = 8;
    public static final int UID_LENGTH = 32;
    public static final int NONCE_LENGTH = 16;
    public static final int KOD_NTSN = 0x4E54534E;
    /** Largest request {@link #appendRequest} writes after the 48-byte header. */
    public static final int MAX_FIELDS_LENGTH = 4 + UID_LENGTH + MAX_COOKIES * (4 + 4096) + 8 + NONCE_LENGTH + AesSiv.TAG_LENGTH;

    public static final int OK = 0;
    public static final int NAK = 1;
    public static final int BAD = 2;

    private final RandomGenerator random;
    private byte[] c2s;
    private byte[] s2c;
    private final Deque<byte[]> cookies = new ArrayDeque<>();
    private int lastCookieLength;
    private String ntpServer;
    private int ntpPort;
    private byte[] uid;
    private long naks;

    public NtsClientSession(RandomGenerator random) {
        this.random = random;
    }

    /** The NTS-KE request: Next Protocol [NTPv4], AEAD [15], End of Message (all critical). */
    public static byte[] keRequest() {
        return NtsKeRecord.encode(List.of(NtsKeRecord.ofShorts(true, NtsKeRecord.NEXT_PROTOCOL, NtsKeRecord.PROTOCOL_NTPV4),
                NtsKeRecord.ofShorts(true, NtsKeRecord.AEAD_ALGORITHM, AesSiv.AEAD_ID),
                new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0])));
    }

    /**
     * Takes the NTS-KE response; on success keeps the keys (exported from the TLS session) and
     * cookies and returns empty, else the reason it was refused (the session is then empty).
     */
    public Optional<String> acceptKeResponse(List<NtsKeRecord> records, NtsKeServerExchange.KeyExporter exporter) {
        reset();
        boolean protocolOk = false;
        boolean aeadOk = false;
        String server = null;
        int port = NtsKeServerExchange.NTP_PORT;
        Deque<byte[]> got = new ArrayDeque<>();
        for (NtsKeRecord r : records) {
            switch (r.type()) {
                case NtsKeRecord.END_OF_MESSAGE, NtsKeRecord.WARNING -> { }
                case NtsKeRecord.NEXT_PROTOCOL -> {
                    int[] v = r.shorts();
                    if (v == null || v.length != 1 || v[0] != NtsKeRecord.PROTOCOL_NTPV4) return Optional.of("unexpected next protocol");
                    protocolOk = true;
                }
                case NtsKeRecord.AEAD_ALGORITHM -> {
                    int[] v = r.shorts();
                    if (v == null || v.length != 1 || v[0] != AesSiv.AEAD_ID) return Optional.of("unexpected AEAD algorithm");
                    aeadOk = true;
                }
                case NtsKeRecord.ERROR -> {
                    int[] v = r.shorts();
                    return Optional.of("server error " + (v == null || v.length == 0 ? "?" : v[0]));
                }
                case NtsKeRecord.NEW_COOKIE -> {
                    byte[] c = r.body();
                    if (c.length > 0 && c.length <= 4096 && (c.length & 3) == 0 && got.size() < MAX_COOKIES) got.add(c);
                }
                case NtsKeRecord.NTPV4_SERVER -> server = new String(r.body(), StandardCharsets.US_ASCII);
                case NtsKeRecord.NTPV4_PORT -> {
                    int[] v = r.shorts();
                    if (v == null || v.length != 1) return Optional.of("bad port record");
                    port = v[0];
                }
                default -> {
                    if (r.critical()) return Optional.of("unknown critical record " + r.type());
                }
            }
        }
        if (!protocolOk || !aeadOk) return Optional.of("missing next protocol or AEAD record");
        if (got.isEmpty()) return Optional.of("no cookies");
        try {
            c2s = exporter.export(NtsKeServerExchange.EXPORTER_LABEL, NtsKeServerExchange.exporterContext(0, AesSiv.AEAD_ID, false), AesSiv.KEY_LENGTH);
            s2c = exporter.export(NtsKeServerExchange.EXPORTER_LABEL, NtsKeServerExchange.exporterContext(0, AesSiv.AEAD_ID, true), AesSiv.KEY_LENGTH);
        } catch (Exception e) {
            reset();
            return Optional.of("key export failed: " + e);
        }
        cookies.addAll(got);
        lastCookieLength = got.peekLast().length;
        ntpServer = server;
        ntpPort = port;
        return Optional.empty();
    }

    private static final String DUMP_HEADER = "jchrony NTS client 1";

    /**
     * The session as text for {@code ntsdumpdir} (keys, NTP server and port, cookies), or null
     * when there is nothing worth keeping. {@code extra} is saved with it (the daemon's NTS-KE
     * time and session number).
     */
    public String dump(long extra1, long extra2) {
        if (!ready()) return null;
        java.util.HexFormat hex = java.util.HexFormat.of();
        StringBuilder sb = new StringBuilder(DUMP_HEADER).append('\n');
        sb.append(extra1).append(' ').append(extra2).append(' ').append(ntpPort).append(' ')
                .append(ntpServer == null ? "-" : hex.formatHex(ntpServer.getBytes(StandardCharsets.UTF_8))).append('\n');
        sb.append(hex.formatHex(c2s)).append(' ').append(hex.formatHex(s2c)).append('\n');
        for (byte[] c : cookies) sb.append(hex.formatHex(c)).append('\n');
        return sb.toString();
    }

    /** Restores a {@link #dump}; returns the two extra values, or empty (session unchanged) if malformed. */
    public Optional<long[]> restore(String text) {
        try {
            String[] lines = text.split("\n");
            if (lines.length < 4 || !lines[0].equals(DUMP_HEADER)) return Optional.empty();
            java.util.HexFormat hex = java.util.HexFormat.of();
            String[] w = lines[1].split(" ");
            String[] k = lines[2].split(" ");
            byte[] a = hex.parseHex(k[0]);
            byte[] b = hex.parseHex(k[1]);
            if (w.length != 4 || a.length != AesSiv.KEY_LENGTH || b.length != AesSiv.KEY_LENGTH) return Optional.empty();
            Deque<byte[]> got = new ArrayDeque<>();
            for (int i = 3; i < lines.length && got.size() < MAX_COOKIES; i++) {
                if (lines[i].isBlank()) continue;
                byte[] c = hex.parseHex(lines[i].trim());
                if (c.length == 0 || c.length > 4096) return Optional.empty();
                got.add(c);
            }
            if (got.isEmpty()) return Optional.empty();
            int port = Integer.parseInt(w[2]);
            if (port < 1 || port > 65535) return Optional.empty();
            reset();
            c2s = a;
            s2c = b;
            cookies.addAll(got);
            lastCookieLength = got.peekLast().length;
            ntpPort = port;
            ntpServer = w[3].equals("-") ? null : new String(hex.parseHex(w[3]), StandardCharsets.UTF_8);
            return Optional.of(new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])});
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What a chronyd client file says besides keys and cookies. */
    public record ChronydDump(String name, double lastKeSeconds, String ntpAddress, int ntpPort, long contextId) {}

    private static final String CHRONYD_HEADER = "NNC0";

    /**
     * The session in chronyd 4.3's client file format ({@code ntsdumpdir/ADDRESS.nts}), or null
     * when there is nothing worth keeping. Lines: {@code NNC0}; the source's name; the time of
     * the last NTS-KE (seconds since 1970, one decimal); the NTP server's address and port; the
     * context number, the AEAD id (15), the S2C key then the C2S key in hex; then one cookie per
     * line in hex (upper case, as chronyd).
     */
    public String toChronydText(String name, double lastKeSeconds, String ntpAddress, long contextId) {
        if (!ready() || name.isEmpty() || name.contains("\n")) return null;
        java.util.HexFormat hex = java.util.HexFormat.of().withUpperCase();
        StringBuilder sb = new StringBuilder(CHRONYD_HEADER).append('\n').append(name).append('\n');
        sb.append(String.format(java.util.Locale.ROOT, "%.1f", lastKeSeconds)).append('\n');
        sb.append(ntpAddress).append(' ').append(ntpPort).append('\n');
        sb.append(contextId).append(' ').append(AesSiv.AEAD_ID).append(' ').append(hex.formatHex(s2c)).append(' ')
                .append(hex.formatHex(c2s)).append('\n');
        for (byte[] c : cookies) sb.append(hex.formatHex(c)).append('\n');
        return sb.toString();
    }

    /**
     * Restores a chronyd client file ({@link #toChronydText}); empty (session unchanged) if
     * malformed, of another AEAD, or without cookies. The NTP server named by the file is
     * returned, not kept as {@link #ntpServer()}.
     */
    public Optional<ChronydDump> restoreChronyd(String text) {
        try {
            String[] lines = text.split("\n");
            if (lines.length < 6 || !lines[0].trim().equals(CHRONYD_HEADER)) return Optional.empty();
            String name = lines[1].trim();
            double ke = Double.parseDouble(lines[2].trim());
            String[] ntp = lines[3].trim().split("\\s+");
            String[] ctx = lines[4].trim().split("\\s+");
            if (ntp.length != 2 || ctx.length != 4 || Integer.parseInt(ctx[1]) != AesSiv.AEAD_ID) return Optional.empty();
            int port = Integer.parseInt(ntp[1]);
            if (port < 1 || port > 65535 || !Double.isFinite(ke)) return Optional.empty();
            java.util.HexFormat hex = java.util.HexFormat.of();
            byte[] s = hex.parseHex(ctx[2]);
            byte[] c = hex.parseHex(ctx[3]);
            if (s.length != AesSiv.KEY_LENGTH || c.length != AesSiv.KEY_LENGTH) return Optional.empty();
            Deque<byte[]> got = new ArrayDeque<>();
            for (int i = 5; i < lines.length && got.size() < MAX_COOKIES; i++) {
                if (lines[i].isBlank()) continue;
                byte[] cookie = hex.parseHex(lines[i].trim());
                if (cookie.length == 0 || cookie.length > 4096) return Optional.empty();
                got.add(cookie);
            }
            if (got.isEmpty()) return Optional.empty();
            reset();
            c2s = c;
            s2c = s;
            cookies.addAll(got);
            lastCookieLength = got.peekLast().length;
            ntpPort = port;
            ntpServer = null;
            return Optional.of(new ChronydDump(name, ke, ntp[0], port, Long.parseLong(ctx[0])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Forgets keys and cookies (a NAK, or before a new NTS-KE). */
    public void reset() {
        c2s = null;
        s2c = null;
        cookies.clear();
        uid = null;
    }

    /** Whether a request can be sent (keys and at least one cookie). */
    public boolean ready() {
        return c2s != null && !cookies.isEmpty();
    }

    public int cookies() {
        return cookies.size();
    }

    /** Length of the last cookie received (chronyc authdata CLen). */
    public int cookieLength() {
        return lastCookieLength;
    }

    /** The NTP server named by the NTS-KE server (null: the NTS-KE server's address). */
    public String ntpServer() {
        return ntpServer;
    }

    /** The NTP port given by the NTS-KE server (123 when it sent none). */
    public int ntpPort() {
        return ntpPort;
    }

    public long naks() {
        return naks;
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    /**
     * Appends the NTS fields to the request header in {@code buf[0, length)}; returns the new
     * length, or -1 when not {@link #ready()} or {@code buf} is too small.
     */
    public int appendRequest(byte[] buf, int length) {
        if (!ready()) return -1;
        byte[] cookie = cookies.peekFirst();
        int padded = (cookie.length + 3) & ~3;
        int placeholders = Math.max(0, MAX_COOKIES - cookies.size());
        int total = length + 4 + UID_LENGTH + (1 + placeholders) * (4 + padded) + 8 + NONCE_LENGTH + AesSiv.TAG_LENGTH;
        if (total > buf.length) return -1;
        cookies.removeFirst();
        int p = length;
        uid = new byte[UID_LENGTH];
        random.nextBytes(uid);
        put16(buf, p, ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER);
        put16(buf, p + 2, 4 + UID_LENGTH);
        System.arraycopy(uid, 0, buf, p + 4, UID_LENGTH);
        p += 4 + UID_LENGTH;
        put16(buf, p, ExtensionField.TYPE_NTS_COOKIE);
        put16(buf, p + 2, 4 + padded);
        System.arraycopy(cookie, 0, buf, p + 4, cookie.length);
        Arrays.fill(buf, p + 4 + cookie.length, p + 4 + padded, (byte) 0);
        p += 4 + padded;
        for (int i = 0; i < placeholders; i++) {
            put16(buf, p, ExtensionField.TYPE_NTS_COOKIE_PLACEHOLDER);
            put16(buf, p + 2, 4 + padded);
            Arrays.fill(buf, p + 4, p + 4 + padded, (byte) 0);
            p += 4 + padded;
        }
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] ct = new AesSiv(c2s).encrypt(List.of(Arrays.copyOf(buf, p), nonce), new byte[0]);
        put16(buf, p, ExtensionField.TYPE_NTS_AUTHENTICATOR);
        put16(buf, p + 2, 8 + NONCE_LENGTH + ct.length);
        put16(buf, p + 4, NONCE_LENGTH);
        put16(buf, p + 6, ct.length);
        System.arraycopy(nonce, 0, buf, p + 8, NONCE_LENGTH);
        System.arraycopy(ct, 0, buf, p + 8 + NONCE_LENGTH, ct.length);
        return p + 8 + NONCE_LENGTH + ct.length;
    }

    /**
     * Checks a response in {@code buf[off, off + len)}: {@link #OK} (authentic; its cookies are
     * kept), {@link #NAK} (an NTS NAK for the outstanding request: keys and cookies dropped) or
     * {@link #BAD} (not for us, or not authentic: ignore it).
     */
    public int checkResponse(byte[] buf, int off, int len) {
        if (uid == null || len < NtpPacket.HEADER_LENGTH || (len & 3) != 0) return BAD;
        byte[] pkt = off == 0 && buf.length == len ? buf : Arrays.copyOfRange(buf, off, off + len);
        int uidAt = -1;
        int authAt = -1;
        int authLen = 0;
        int p = NtpPacket.HEADER_LENGTH;
        while (p + 4 <= len) {
            int type = u16(pkt, p);
            int efLen = u16(pkt, p + 2);
            if (efLen < ExtensionField.MIN_LENGTH || (efLen & 3) != 0 || p + efLen > len) return BAD;
            if (type == ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER && uidAt < 0) uidAt = p;
            if (type == ExtensionField.TYPE_NTS_AUTHENTICATOR && authAt < 0) {
                authAt = p;
                authLen = efLen;
            }
            p += efLen;
        }
        if (uidAt < 0 || u16(pkt, uidAt + 2) != 4 + UID_LENGTH
                || !Arrays.equals(pkt, uidAt + 4, uidAt + 4 + UID_LENGTH, uid, 0, UID_LENGTH)) {
            return BAD;
        }
        boolean kod = pkt[1] == 0 && ((pkt[0] >>> 6) & 3) == 3
                && ((pkt[12] & 0xff) << 24 | (pkt[13] & 0xff) << 16 | (pkt[14] & 0xff) << 8 | (pkt[15] & 0xff)) == KOD_NTSN;
        if (authAt < 0) {
            if (kod) {
                naks++;
                reset();
                return NAK;
            }
            return BAD;
        }
        int nonceLen = u16(pkt, authAt + 4);
        int ctLen = u16(pkt, authAt + 6);
        int noncePadded = (nonceLen + 3) & ~3;
        int ctPadded = (ctLen + 3) & ~3;
        if (nonceLen < 1 || ctLen < AesSiv.TAG_LENGTH || 8 + noncePadded + ctPadded > authLen) return BAD;
        byte[] nonce = Arrays.copyOfRange(pkt, authAt + 8, authAt + 8 + nonceLen);
        byte[] ct = Arrays.copyOfRange(pkt, authAt + 8 + noncePadded, authAt + 8 + noncePadded + ctLen);
        Optional<byte[]> plain = new AesSiv(s2c).decrypt(List.of(Arrays.copyOf(pkt, authAt), nonce), ct);
        if (plain.isEmpty()) return BAD;
        uid = null;
        byte[] fields = plain.get();
        int q = 0;
        while (q + 4 <= fields.length) {
            int type = u16(fields, q);
            int efLen = u16(fields, q + 2);
            if (efLen < 4 || q + efLen > fields.length) break;
            if (type == ExtensionField.TYPE_NTS_COOKIE && efLen > 4 && cookies.size() < MAX_COOKIES) {
                byte[] c = Arrays.copyOfRange(fields, q + 4, q + efLen);
                cookies.addLast(c);
                lastCookieLength = c.length;
            }
            q += efLen;
        }
        return OK;
    }
}
