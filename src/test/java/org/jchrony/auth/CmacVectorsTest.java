package org.jchrony.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AES-CMAC as keyfile AES128/AES256 keys use it: RFC 4493 section 4 (AES-128) and NIST SP 800-38B
 * appendix D (AES-256) vectors, through a keyfile and the MAC code the server and sources share.
 */
class CmacVectorsTest {
    static final HexFormat HEX = HexFormat.of();
    static final String M = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
            + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    static void check(Keys keys, long id, int length, String tag) {
        byte[] msg = HEX.parseHex(M.substring(0, length * 2));
        byte[] buf = Arrays.copyOf(msg, msg.length + 20);
        assertThat(keys.sign(id, 4, buf, msg.length)).isEqualTo(msg.length + 20);
        assertThat(HEX.formatHex(buf, msg.length + 4, msg.length + 20)).isEqualTo(tag);
        assertThat(keys.verify(id, buf, msg.length, 20, 20)).isTrue();
        buf[buf.length - 1] ^= (byte) 0x80;
        assertThat(keys.verify(id, buf, msg.length, 20, 20)).isFalse();
    }

    @Test
    void aes128Rfc4493() {
        Keys k = KeyFile.parse("t", List.of("1 AES128 HEX:2b7e151628aed2a6abf7158809cf4f3c"));
        check(k, 1, 0, "bb1d6929e95937287fa37d129b756746");
        check(k, 1, 16, "070a16b46b4d4144f79bdd9dd04a287c");
        check(k, 1, 40, "dfa66747de9ae63030ca32611497c827");
        check(k, 1, 64, "51f0bebf7e3b9d92fc49741779363cfe");
    }

    @Test
    void aes256Sp80038b() {
        Keys k = KeyFile.parse("t", List.of("2 AES256 HEX:603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"));
        check(k, 2, 0, "028962f61b7bf89efc6b551f4667d983");
        check(k, 2, 16, "28a7023f452e8f82bd4bf28d8c37c35c");
        check(k, 2, 40, "aaf3d8f1de5640c232f5b169b9c911e6");
        check(k, 2, 64, "e1992190549f6ed5696a2c056c315410");
    }
}
