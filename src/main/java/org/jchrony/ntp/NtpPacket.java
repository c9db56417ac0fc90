package org.jchrony.ntp;

import java.util.Arrays;

/**
 * An NTP packet (RFC 5905 header) with whatever follows the 48-byte header kept verbatim in
 * {@code trailer} (extension fields per RFC 7822 and/or a legacy MAC). Timestamps are raw
 * 64-bit NTP values; root delay/dispersion raw 32-bit NTP short values.
 */
public record NtpPacket(
        int leap, int version, int mode, int stratum, int pollLog2, int precisionLog2,
        int rootDelay, int rootDispersion, int referenceId,
        long referenceTime, long originTime, long receiveTime, long transmitTime,
        byte[] trailer) {

    public static final int HEADER_LENGTH = 48;
    public static final int MODE_SYMMETRIC_ACTIVE = 1;
    public static final int MODE_SYMMETRIC_PASSIVE = 2;
    public static final int MODE_CLIENT = 3;
    public static final int MODE_SERVER = 4;
    public static final int MODE_BROADCAST = 5;
    public static final int LEAP_UNSYNCHRONISED = 3;

    public NtpPacket {
        trailer = trailer == null ? new byte[0] : trailer.clone();
    }

    @Override
    public byte[] trailer() {
        return trailer.clone();
    }

    public int length() {
        return HEADER_LENGTH + trailer.length;
    }

    /** Decodes {@code length} bytes at {@code offset}. The trailer is kept, not interpreted. */
    public static NtpPacket decode(byte[] buf, int offset, int length) throws MalformedPacketException {
        if (length < HEADER_LENGTH) throw new MalformedPacketException("packet shorter than 48 bytes: " + length);
        if (buf == null || offset < 0 || offset > buf.length - length) throw new MalformedPacketException("length beyond buffer");
        int b0 = buf[offset] & 0xff;
        return new NtpPacket(b0 >>> 6, (b0 >>> 3) & 7, b0 & 7,
                buf[offset + 1] & 0xff, buf[offset + 2], buf[offset + 3],
                getInt(buf, offset + 4), getInt(buf, offset + 8), getInt(buf, offset + 12),
                getLong(buf, offset + 16), getLong(buf, offset + 24), getLong(buf, offset + 32), getLong(buf, offset + 40),
                Arrays.copyOfRange(buf, offset + HEADER_LENGTH, offset + length));
    }

    /**
     * Decodes and validates a whole packet as chronyd's parser does: length a multiple of 4 and
     * the trailer a valid sequence of extension fields and/or MAC ({@link NtpTrailer}). Throws
     * only {@link MalformedPacketException}, for any input.
     */
    public static NtpPacket decodeStrict(byte[] buf, int offset, int length) throws MalformedPacketException {
        if (buf == null || offset < 0 || length < 0 || offset > buf.length - length) {
            throw new MalformedPacketException("length beyond buffer");
        }
        NtpPacket p = decode(buf, offset, length);
        byte[] whole = offset == 0 ? buf : Arrays.copyOfRange(buf, offset, offset + length);
        NtpTrailer.parse(whole, length);
        return p;
    }

    /** The trailer split into extension fields and MAC; throws if it is malformed. */
    public NtpTrailer parseTrailer() throws MalformedPacketException {
        return NtpTrailer.parse(encode(), length());
    }

    /** This packet with its trailer replaced by {@code t}. */
    public NtpPacket withTrailer(NtpTrailer t) {
        return new NtpPacket(leap, version, mode, stratum, pollLog2, precisionLog2, rootDelay, rootDispersion,
                referenceId, referenceTime, originTime, receiveTime, transmitTime, t.encode());
    }

    /** Encodes into {@code buf} at {@code offset}; returns the number of bytes written. */
    public int encode(byte[] buf, int offset) {
        buf[offset] = (byte) ((leap & 3) << 6 | (version & 7) << 3 | (mode & 7));
        buf[offset + 1] = (byte) stratum;
        buf[offset + 2] = (byte) pollLog2;
        buf[offset + 3] = (byte) precisionLog2;
        putInt(buf, offset + 4, rootDelay);
        putInt(buf, offset + 8, rootDispersion);
        putInt(buf, offset + 12, referenceId);
        putLong(buf, offset + 16, referenceTime);
        putLong(buf, offset + 24, originTime);
        putLong(buf, offset + 32, receiveTime);
        putLong(buf, offset + 40, transmitTime);
        System.arraycopy(trailer, 0, buf, offset + HEADER_LENGTH, trailer.length);
        return HEADER_LENGTH + trailer.length;
    }

    public byte[] encode() {
        byte[] out = new byte[length()];
        encode(out, 0);
        return out;
    }

    static int getInt(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static long getLong(byte[] b, int i) {
        return (getInt(b, i) & 0xffff_ffffL) << 32 | (getInt(b, i + 4) & 0xffff_ffffL);
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    static void putLong(byte[] b, int i, long v) {
        putInt(b, i, (int) (v >>> 32));
        putInt(b, i + 4, (int) v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtpPacket p && leap == p.leap && version == p.version && mode == p.mode
                && stratum == p.stratum && pollLog2 == p.pollLog2 && precisionLog2 == p.precisionLog2
                && rootDelay == p.rootDelay && rootDispersion == p.rootDispersion && referenceId == p.referenceId
                && referenceTime == p.referenceTime && originTime == p.originTime && receiveTime == p.receiveTime
                && transmitTime == p.transmitTime && Arrays.equals(trailer, p.trailer);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(transmitTime) * 31 + Arrays.hashCode(trailer);
    }

    @Override
    public String toString() {
        return "NtpPacket[leap=" + leap + ", version=" + version + ", mode=" + mode + ", stratum=" + stratum
                + ", poll=" + pollLog2 + ", precision=" + precisionLog2 + ", refid=" + Integer.toHexString(referenceId)
                + ", trailer=" + trailer.length + "B]";
    }
}
