package org.jchrony.ntp;

import java.util.ArrayList;
import java.util.List;

/**
 * What follows the 48-byte NTP header: NTPv4 extension fields (RFC 7822) and/or a legacy MAC,
 * split exactly as chronyd 4.3 splits them:
 * <ul>
 * <li>NTPv1-3 have no extension fields: everything after the header is a MAC (key id +
 *     digest). An NTPv3 MAC with a non-zero key id and an all-zero 16-byte digest is an MS-SNTP
 *     authenticator; 4 + 68 bytes with zeros after the first 8 is the extended MS-SNTP form.</li>
 * <li>NTPv4: exactly 4 zero bytes are a crypto-NAK. Otherwise, walking from the header, a
 *     remainder of 20 or 24 bytes is a MAC (RFC 7822's deterministic rule: a MAC is at most
 *     4 + 20 bytes in NTPv4); anything else must be an extension field of at least 16 bytes,
 *     a multiple of 4, that fits, and that leaves more than 24 bytes from its start (so a last
 *     field without MAC is at least 28 bytes); extension fields are only parsed in packets of
 *     at most {@value #MAX_PACKET_LENGTH} bytes.</li>
 * <li>The packet length must be a multiple of 4; versions 0 and 5-7 have no defined trailer.</li>
 * </ul>
 * {@link #scan} does this on the raw bytes without allocating (for the server hot path);
 * {@link #parse} builds the model. Both accept exactly the same inputs.
 */
public record NtpTrailer(List<ExtensionField> extensionFields, Mac mac) {
    /** Largest packet chronyd parses extension fields in: header + 1024 + longest MAC. */
    public static final int MAX_PACKET_LENGTH = NtpPacket.HEADER_LENGTH + 1024 + Mac.MAX_LENGTH;

    public static final long INVALID = -1L;
    public static final int FLAG_EXTENSION_FIELDS = 1;
    public static final int FLAG_MAC = 2;
    public static final int FLAG_CRYPTO_NAK = 4;
    public static final int FLAG_NTS = 8;
    public static final int FLAG_EXP1 = 16;
    public static final int FLAG_MSSNTP = 32;
    public static final int FLAG_MSSNTP_EXT = 64;
    /** The chronyd experimental field's magic number and body length. */
    public static final int EXP1_MAGIC = 0xF5BEDD9A;
    public static final int EXP1_BODY_LENGTH = 24;

    public static final NtpTrailer EMPTY = new NtpTrailer(List.of(), null);

    public NtpTrailer {
        extensionFields = List.copyOf(extensionFields);
    }

    /** Encoded length in bytes. */
    public int length() {
        int n = mac == null ? 0 : mac.length();
        for (ExtensionField f : extensionFields) n += f.length();
        return n;
    }

    public int encode(byte[] buf, int offset) {
        int p = offset;
        for (ExtensionField f : extensionFields) p += f.encode(buf, p);
        if (mac != null) p += mac.encode(buf, p);
        return p - offset;
    }

    public byte[] encode() {
        byte[] out = new byte[length()];
        encode(out, 0);
        return out;
    }

    /** Flags of a {@link #scan} result (meaningless for {@link #INVALID}). */
    public static int flags(long scan) {
        return (int) (scan & 0xffff);
    }

    /** Offset of the MAC in the packet, valid when {@link #FLAG_MAC} or {@link #FLAG_CRYPTO_NAK} is set. */
    public static int macStart(long scan) {
        return (int) ((scan >>> 16) & 0xffff);
    }

    /** Length of the MAC (key id included). */
    public static int macLength(long scan) {
        return (int) ((scan >>> 32) & 0xffff);
    }

    private static long result(int flags, int macStart, int macLength) {
        return (long) macLength << 32 | (long) macStart << 16 | flags;
    }

    /**
     * Classifies the trailer of the packet in {@code packet[0, length)} as chronyd does, without
     * allocating. Returns {@link #INVALID} for a malformed packet (shorter than the header, length
     * not a multiple of 4, bad version with a trailer, bad extension field) and otherwise the
     * flags and MAC position packed in a long (see {@link #flags}, {@link #macStart}, {@link #macLength}).
     */
    public static long scan(byte[] packet, int length) {
        if (length < NtpPacket.HEADER_LENGTH || (length & 3) != 0 || length > packet.length) return INVALID;
        int version = (packet[0] >>> 3) & 7;
        int parsed = NtpPacket.HEADER_LENGTH;
        int remainder = length - parsed;
        if (remainder == 0) return 0;
        if (version == 0 || version > 4) return INVALID;
        if (version <= 3) {
            int flags = FLAG_MAC;
            int keyId = NtpPacket.getInt(packet, parsed);
            if (version == 3 && keyId != 0) {
                if (remainder == 20 && isZero(packet, parsed + 4, length)) flags = FLAG_MSSNTP;
                else if (remainder == 72 && isZero(packet, parsed + 8, length)) flags = FLAG_MSSNTP_EXT;
            }
            return result(flags, parsed, remainder);
        }
        if (remainder == 4 && NtpPacket.getInt(packet, parsed) == 0) return result(FLAG_CRYPTO_NAK, parsed, 4);
        int flags = 0;
        while (remainder > 0) {
            if (remainder >= Mac.MIN_LENGTH && remainder <= Mac.MAX_V4_LENGTH) break;
            if (length > MAX_PACKET_LENGTH || remainder <= Mac.MAX_V4_LENGTH) return INVALID;
            int type = (packet[parsed] & 0xff) << 8 | (packet[parsed + 1] & 0xff);
            int efLength = (packet[parsed + 2] & 0xff) << 8 | (packet[parsed + 3] & 0xff);
            if (efLength < ExtensionField.MIN_LENGTH || efLength > remainder || (efLength & 3) != 0) return INVALID;
            flags |= FLAG_EXTENSION_FIELDS;
            switch (type) {
                case ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER, ExtensionField.TYPE_NTS_COOKIE,
                     ExtensionField.TYPE_NTS_COOKIE_PLACEHOLDER, ExtensionField.TYPE_NTS_AUTHENTICATOR -> flags |= FLAG_NTS;
                case ExtensionField.TYPE_CHRONY_EXP1 -> {
                    if (efLength - 4 == EXP1_BODY_LENGTH && NtpPacket.getInt(packet, parsed + 4) == EXP1_MAGIC) flags |= FLAG_EXP1;
                }
                default -> { }
            }
            parsed += efLength;
            remainder = length - parsed;
        }
        if (remainder == 0) return flags;
        return result(flags | FLAG_MAC, parsed, remainder);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** Parses the trailer of the whole packet {@code packet[0, length)}. */
    public static NtpTrailer parse(byte[] packet, int length) throws MalformedPacketException {
        long scan = scan(packet, length);
        if (scan == INVALID) throw new MalformedPacketException("malformed NTP packet trailer (length " + length + ")");
        int flags = flags(scan);
        int end = (flags & (FLAG_MAC | FLAG_CRYPTO_NAK | FLAG_MSSNTP | FLAG_MSSNTP_EXT)) != 0 ? macStart(scan) : length;
        List<ExtensionField> fields = new ArrayList<>();
        int p = NtpPacket.HEADER_LENGTH;
        while (p < end) {
            int type = (packet[p] & 0xff) << 8 | (packet[p + 1] & 0xff);
            int efLength = (packet[p + 2] & 0xff) << 8 | (packet[p + 3] & 0xff);
            byte[] value = new byte[efLength - 4];
            System.arraycopy(packet, p + 4, value, 0, value.length);
            fields.add(new ExtensionField(type, value));
            p += efLength;
        }
        Mac mac = null;
        if (end < length) {
            byte[] digest = new byte[length - end - 4];
            System.arraycopy(packet, end + 4, digest, 0, digest.length);
            mac = new Mac(NtpPacket.getInt(packet, end) & 0xffff_ffffL, digest);
        }
        return new NtpTrailer(fields, mac);
    }
}
