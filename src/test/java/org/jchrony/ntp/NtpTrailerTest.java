package org.jchrony.ntp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class NtpTrailerTest {

    static byte[] packet(int version, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[48];
        header[0] = (byte) (version << 3 | 3);
        out.writeBytes(header);
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] ef(int type, int length) {
        byte[] b = new byte[length];
        b[0] = (byte) (type >>> 8);
        b[1] = (byte) type;
        b[2] = (byte) (length >>> 8);
        b[3] = (byte) length;
        for (int i = 4; i < length; i++) b[i] = (byte) (i * 7);
        return b;
    }

    static byte[] mac(int keyId, int digestLength) {
        byte[] b = new byte[4 + digestLength];
        NtpPacket.putInt(b, 0, keyId);
        for (int i = 4; i < b.length; i++) b[i] = (byte) (0x55 + i);
        return b;
    }

    static NtpTrailer parse(byte[] p) throws MalformedPacketException {
        return NtpTrailer.parse(p, p.length);
    }

    @Test
    void plainHeaderHasEmptyTrailer() throws Exception {
        assertThat(parse(packet(4))).isEqualTo(NtpTrailer.EMPTY);
        assertThat(NtpTrailer.scan(packet(4), 48)).isZero();
    }

    @Test
    void v4Md5AndSha1MacsAreMacs() throws Exception {
        NtpTrailer md5 = parse(packet(4, mac(7, 16)));
        assertThat(md5.extensionFields()).isEmpty();
        assertThat(md5.mac().keyId()).isEqualTo(7);
        assertThat(md5.mac().digest()).hasSize(16);
        assertThat(parse(packet(4, mac(0xfffffffe, 20))).mac().keyId()).isEqualTo(0xfffffffeL);
    }

    @Test
    void v4LongerMacIsNotAMac() {
        // 4 + 32 (SHA-256): RFC 7822 says NTPv4 MACs are at most 24 bytes; read as an extension field it is invalid
        assertThatThrownBy(() -> parse(packet(4, mac(1, 32)))).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void v3AnythingAfterHeaderIsMac() throws Exception {
        assertThat(parse(packet(3, mac(1, 64))).mac().digest()).hasSize(64);
        assertThat(parse(packet(2, mac(1, 0))).mac().digest()).isEmpty();
        long s = NtpTrailer.scan(packet(3, mac(1, 16)), 68);
        assertThat(NtpTrailer.flags(s)).isEqualTo(NtpTrailer.FLAG_MAC);
        assertThat(NtpTrailer.macStart(s)).isEqualTo(48);
        assertThat(NtpTrailer.macLength(s)).isEqualTo(20);
    }

    @Test
    void msSntpAuthenticator() {
        byte[] p = packet(3, new byte[] {0, 0, 0, 9}, new byte[16]);
        assertThat(NtpTrailer.flags(NtpTrailer.scan(p, p.length))).isEqualTo(NtpTrailer.FLAG_MSSNTP);
        byte[] ext = packet(3, new byte[] {0, 0, 0, 9, 1, 2, 3, 4}, new byte[64]);
        assertThat(NtpTrailer.flags(NtpTrailer.scan(ext, ext.length))).isEqualTo(NtpTrailer.FLAG_MSSNTP_EXT);
    }

    @Test
    void cryptoNak() throws Exception {
        byte[] p = packet(4, new byte[4]);
        assertThat(parse(p).mac().isCryptoNak()).isTrue();
        assertThat(NtpTrailer.flags(NtpTrailer.scan(p, 52))).isEqualTo(NtpTrailer.FLAG_CRYPTO_NAK);
        assertThatThrownBy(() -> parse(packet(4, new byte[] {0, 0, 0, 1}))).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void extensionFieldsThenMac() throws Exception {
        NtpTrailer t = parse(packet(4, ef(0x1234, 16), ef(0x2000, 40), mac(3, 20)));
        assertThat(t.extensionFields()).extracting(ExtensionField::fieldType).containsExactly(0x1234, 0x2000);
        assertThat(t.extensionFields().get(1).length()).isEqualTo(40);
        assertThat(t.mac().keyId()).isEqualTo(3);
    }

    @Test
    void lastFieldWithoutMacMustExceed24Bytes() throws Exception {
        assertThat(parse(packet(4, ef(0x1234, 28))).extensionFields()).hasSize(1);
        assertThatThrownBy(() -> parse(packet(4, ef(0x1234, 16)))).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> parse(packet(4, ef(0x1234, 16), ef(0x1234, 16)))).isInstanceOf(MalformedPacketException.class);
        // 20 and 24 bytes are read as MACs, not extension fields
        assertThat(parse(packet(4, ef(0x1234, 20))).mac()).isNotNull();
    }

    @Test
    void badFieldLengths() {
        byte[] e = ef(0x1234, 36);
        e[3] = 34; // not a multiple of 4
        assertThatThrownBy(() -> parse(packet(4, e))).isInstanceOf(MalformedPacketException.class);
        byte[] f = ef(0x1234, 36);
        f[3] = 40; // longer than the packet
        assertThatThrownBy(() -> parse(packet(4, f))).isInstanceOf(MalformedPacketException.class);
        byte[] g = ef(0x1234, 36);
        g[3] = 12; // shorter than 16
        assertThatThrownBy(() -> parse(packet(4, g))).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void ntsAndExp1Flags() {
        byte[] nts = packet(4, ef(ExtensionField.TYPE_NTS_UNIQUE_IDENTIFIER, 36));
        assertThat(NtpTrailer.flags(NtpTrailer.scan(nts, nts.length)) & NtpTrailer.FLAG_NTS).isNotZero();
        byte[] e = ef(ExtensionField.TYPE_CHRONY_EXP1, 28);
        NtpPacket.putInt(e, 4, NtpTrailer.EXP1_MAGIC);
        byte[] exp = packet(4, e);
        assertThat(NtpTrailer.flags(NtpTrailer.scan(exp, exp.length)))
                .isEqualTo(NtpTrailer.FLAG_EXTENSION_FIELDS | NtpTrailer.FLAG_EXP1);
    }

    @Test
    void sizeLimitForExtensionFields() throws Exception {
        int max = NtpTrailer.MAX_PACKET_LENGTH; // 1140
        assertThat(parse(packet(4, ef(0x1234, max - 48))).extensionFields()).hasSize(1);
        assertThatThrownBy(() -> parse(packet(4, ef(0x1234, max - 48 + 4)))).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void badVersionsAndLengths() {
        assertThatThrownBy(() -> parse(packet(5, ef(0x1234, 28)))).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> parse(packet(0, mac(1, 16)))).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> NtpTrailer.parse(new byte[50], 50)).isInstanceOf(MalformedPacketException.class);
        assertThatThrownBy(() -> NtpTrailer.parse(new byte[47], 47)).isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void buildsAndEncodesByteExactly() throws Exception {
        ExtensionField f = ExtensionField.padded(0x0204, new byte[] {1, 2, 3}, true);
        assertThat(f.length()).isEqualTo(28);
        assertThat(ExtensionField.padded(0x0204, new byte[21], false).length()).isEqualTo(28);
        assertThat(ExtensionField.padded(0x0204, new byte[1], false).length()).isEqualTo(16);
        NtpTrailer t = new NtpTrailer(List.of(f), new Mac(5, new byte[20]));
        NtpPacket p = NtpPacket.decode(packet(4), 0, 48).withTrailer(t);
        byte[] bytes = p.encode();
        assertThat(bytes).hasSize(48 + 28 + 24);
        assertThat(NtpPacket.decodeStrict(bytes, 0, bytes.length).parseTrailer()).isEqualTo(t);
    }

    @Test
    void ntpShort() {
        assertThat(NtpShort.fromSeconds(1.0)).isEqualTo(0x10000);
        assertThat(NtpShort.fromSeconds(1e-9)).isEqualTo(1); // rounded up, never zero
        assertThat(NtpShort.fromSeconds(-3)).isZero();
        assertThat(NtpShort.fromSeconds(Double.NaN)).isZero();
        assertThat(NtpShort.fromSeconds(70000)).isEqualTo(NtpShort.MAX);
        assertThat(NtpShort.toSeconds(0xffff_ffff)).isCloseTo(65536.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(NtpShort.fromSecondsF28(1.0)).isEqualTo(0x1000_0000);
        assertThat(NtpShort.toSecondsF28(0x0800_0000)).isEqualTo(0.5);
    }
}
