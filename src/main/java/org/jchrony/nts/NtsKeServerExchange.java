package org.jchrony.nts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jchrony.auth.AesSiv;

/**
 * The NTS-KE server's answer to one request (RFC 8915 section 4), as chronyd 4.3 gives it:
 * <ul>
 * <li>a request must have exactly one Next Protocol record and, when it offers NTPv4 (0), exactly
 *     one AEAD record; an Error or Warning record, a record with an odd-length id list, a repeated
 *     record → Error "bad request" (1); an unknown record type with the critical bit → Error
 *     "unrecognized critical record" (0); other unknown records are ignored;</li>
 * <li>no NTPv4 among the protocols → an empty Next Protocol record; no AEAD_AES_SIV_CMAC_256 (15)
 *     among the algorithms → Error "bad request" (this server supports only 15, as chronyd 4.3);</li>
 * <li>otherwise: Next Protocol [0], AEAD [15], an NTPv4 Server record when {@code ntsntpserver}
 *     is set, an NTPv4 Port record when the NTP port is not 123, {@value #COOKIES} New Cookie
 *     records, End of Message. The cookies carry the C2S/S2C keys exported from the TLS session
 *     with the label {@value #EXPORTER_LABEL} and the context protocol id (2 bytes), AEAD id
 *     (2 bytes), 0 for C2S / 1 for S2C.</li>
 * </ul>
 * Not thread-safe (it holds an {@link NtsCookies}): one per NTS-KE thread.
 */
public final class NtsKeServerExchange {
    public static final String EXPORTER_LABEL = "EXPORTER-network-time-security";
    public static final int COOKIES = 8;
    public static final int NTP_PORT = 123;

    /** Exports keying material from the TLS session (RFC 5705 / 8446 exporter). */
    @FunctionalInterface
    public interface KeyExporter {
        byte[] export(String label, byte[] context, int length) throws Exception;
    }

    /** What the server sends back; {@code accepted} when it carries cookies. */
    public record Outcome(boolean accepted, byte[] response, String reason) {}

    private final NtsCookies cookies;
    private final int ntpPort;
    private final String ntpServer;

    /**
     * @param ntpPort   the port of our NTP server (a Port record is sent unless it is 123)
     * @param ntpServer {@code ntsntpserver}, or null
     */
    public NtsKeServerExchange(NtsCookies cookies, int ntpPort, String ntpServer) {
        this.cookies = cookies;
        this.ntpPort = ntpPort;
        this.ntpServer = ntpServer;
    }

    /** The exporter context of RFC 8915 section 5.1. */
    public static byte[] exporterContext(int protocol, int aead, boolean serverToClient) {
        return new byte[] {(byte) (protocol >>> 8), (byte) protocol, (byte) (aead >>> 8), (byte) aead,
            (byte) (serverToClient ? 1 : 0)};
    }

    static Outcome error(int code, String reason) {
        return new Outcome(false, NtsKeRecord.encode(List.of(NtsKeRecord.ofShorts(true, NtsKeRecord.ERROR, code),
                new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]))), reason);
    }

    /** The response to {@code request} (whole message, End of Message last). Never throws for bad input. */
    public Outcome respond(List<NtsKeRecord> request, KeyExporter exporter) {
        int[] protocols = null;
        int[] aeads = null;
        for (NtsKeRecord r : request) {
            switch (r.type()) {
                case NtsKeRecord.END_OF_MESSAGE -> { }
                case NtsKeRecord.NEXT_PROTOCOL -> {
                    if (protocols != null || r.shorts() == null) return error(NtsKeRecord.ERROR_BAD_REQUEST, "bad next protocol record");
                    protocols = r.shorts();
                }
                case NtsKeRecord.AEAD_ALGORITHM -> {
                    if (aeads != null || r.shorts() == null) return error(NtsKeRecord.ERROR_BAD_REQUEST, "bad AEAD record");
                    aeads = r.shorts();
                }
                case NtsKeRecord.ERROR, NtsKeRecord.WARNING -> {
                    return error(NtsKeRecord.ERROR_BAD_REQUEST, "error/warning record in a request");
                }
                case NtsKeRecord.NEW_COOKIE, NtsKeRecord.NTPV4_SERVER, NtsKeRecord.NTPV4_PORT -> { }
                default -> {
                    if (r.critical()) return error(NtsKeRecord.ERROR_UNRECOGNIZED_CRITICAL, "unknown critical record " + r.type());
                }
            }
        }
        if (protocols == null) return error(NtsKeRecord.ERROR_BAD_REQUEST, "no next protocol record");
        if (!contains(protocols, NtsKeRecord.PROTOCOL_NTPV4)) {
            return new Outcome(false, NtsKeRecord.encode(List.of(new NtsKeRecord(true, NtsKeRecord.NEXT_PROTOCOL, new byte[0]),
                    new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]))), "NTPv4 not offered");
        }
        if (aeads == null || !contains(aeads, AesSiv.AEAD_ID)) {
            return error(NtsKeRecord.ERROR_BAD_REQUEST, "AEAD_AES_SIV_CMAC_256 not offered");
        }
        NtsCookies.SessionKeys keys;
        try {
            byte[] c2s = exporter.export(EXPORTER_LABEL, exporterContext(0, AesSiv.AEAD_ID, false), AesSiv.KEY_LENGTH);
            byte[] s2c = exporter.export(EXPORTER_LABEL, exporterContext(0, AesSiv.AEAD_ID, true), AesSiv.KEY_LENGTH);
            keys = new NtsCookies.SessionKeys(c2s, s2c);
        } catch (Exception e) {
            return error(NtsKeRecord.ERROR_INTERNAL, "key export failed: " + e);
        }
        List<NtsKeRecord> out = new ArrayList<>();
        out.add(NtsKeRecord.ofShorts(true, NtsKeRecord.NEXT_PROTOCOL, NtsKeRecord.PROTOCOL_NTPV4));
        out.add(NtsKeRecord.ofShorts(true, NtsKeRecord.AEAD_ALGORITHM, AesSiv.AEAD_ID));
        if (ntpServer != null && !ntpServer.isEmpty()) {
            out.add(new NtsKeRecord(true, NtsKeRecord.NTPV4_SERVER, ntpServer.getBytes(StandardCharsets.US_ASCII)));
        }
        if (ntpPort != NTP_PORT) out.add(NtsKeRecord.ofShorts(true, NtsKeRecord.NTPV4_PORT, ntpPort));
        for (int i = 0; i < COOKIES; i++) out.add(new NtsKeRecord(false, NtsKeRecord.NEW_COOKIE, cookies.make(keys)));
        out.add(new NtsKeRecord(true, NtsKeRecord.END_OF_MESSAGE, new byte[0]));
        return new Outcome(true, NtsKeRecord.encode(out), "ok");
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) if (x == v) return true;
        return false;
    }
}
