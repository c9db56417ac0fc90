package org.jchrony.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyTableTest {
    static final HexFormat HEX = HexFormat.of();

    /** RFC 4493 section 4 test vectors, through sign() on a packet whose "header" is the message. */
    @Test
    void aesCmacMatchesRfc4493() {
        KeyTable t = new KeyTable();
        t.add(1, "AES128", HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"));
        String m = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
        String[][] vectors = {
            {"", "bb1d6929e95937287fa37d129b756746"},
            {m.substring(0, 32), "070a16b46b4d4144f79bdd9dd04a287c"},
            {m.substring(0, 80), "dfa66747de9ae63030ca32611497c827"},
            {m, "51f0bebf7e3b9d92fc49741779363cfe"},
        };
        for (String[] v : vectors) {
            byte[] msg = HEX.parseHex(v[0]);
            byte[] buf = Arrays.copyOf(msg, msg.length + 20);
            assertThat(t.sign(1, 4, buf, msg.length)).isEqualTo(msg.length + 20);
            assertThat(HEX.formatHex(buf, msg.length + 4, msg.length + 20)).isEqualTo(v[1]);
            assertThat(t.verify(1, buf, msg.length, 20, 20)).isTrue();
        }
    }

    @Test
    void hashMacIsDigestOfKeyThenPacketTruncatedForV4() throws Exception {
        KeyTable t = new KeyTable();
        assertThat(t.addLine("7 SHA512 HEX:00112233445566778899")).isTrue();
        assertThat(t.addLine("# comment")).isFalse();
        assertThat(t.addLine("8 ASCII:secret")).isTrue(); // MD5 by default
        byte[] packet = new byte[48 + 68];
        for (int i = 0; i < 48; i++) packet[i] = (byte) i;
        MessageDigest sha = MessageDigest.getInstance("SHA-512");
        sha.update(HEX.parseHex("00112233445566778899"));
        sha.update(packet, 0, 48);
        byte[] full = sha.digest();
        assertThat(t.sign(7, 4, packet, 48)).isEqualTo(48 + 24);
        assertThat(Arrays.copyOfRange(packet, 52, 72)).isEqualTo(Arrays.copyOf(full, 20));
        assertThat(t.verify(7, packet, 48, 24, 20)).isTrue();
        assertThat(t.sign(7, 3, packet, 48)).isEqualTo(48 + 68);
        assertThat(Arrays.copyOfRange(packet, 52, 116)).isEqualTo(full);
        assertThat(t.verify(7, packet, 48, 68, 64)).isTrue();
        packet[60] ^= 1;
        assertThat(t.verify(7, packet, 48, 68, 64)).isFalse();
        assertThat(t.verify(7, packet, 48, 24, 20)).isFalse(); // length must be exactly the truncated length
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update("secret".getBytes());
        md5.update(packet, 0, 48);
        assertThat(t.sign(8, 4, packet, 48)).isEqualTo(68);
        assertThat(Arrays.copyOfRange(packet, 52, 68)).isEqualTo(md5.digest());
        assertThat(t.sign(9, 4, packet, 48)).isEqualTo(-1);
        assertThat(t.verify(9, packet, 48, 20, 20)).isFalse();
    }

    @Test
    void rejectsBadKeys() {
        KeyTable t = new KeyTable();
        assertThatThrownBy(() -> t.add(1, "AES128", new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.add(1, "TIGER", new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.addLine("1 2 3 4")).isInstanceOf(IllegalArgumentException.class);
    }
}
