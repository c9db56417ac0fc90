package org.jchrony.auth;

import org.jchrony.ntp.AesCmac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** AEAD_AES_SIV_CMAC_256 against RFC 5297 appendix A, plus tamper and round-trip checks. */
class AesSivTest {
    static final HexFormat HEX = HexFormat.of();

    static byte[] h(String s) { return HEX.parseHex(s.replace(" ", "")); }

    @Test
    void rfc5297DeterministicExample() {
        AesSiv siv = new AesSiv(h("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff"));
        List<byte[]> ad = List.of(h("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627"));
        byte[] p = h("11223344 55667788 99aabbcc ddee");
        byte[] c = siv.encrypt(ad, p);
        assertThat(HEX.formatHex(c)).isEqualTo("85632d07c6e8f37f950acd320a2ecc93" + "40c02b9690c4dc04daef7f6afe5c");
        assertThat(siv.decrypt(ad, c)).hasValueSatisfying(v -> assertThat(v).isEqualTo(p));
    }

    @Test
    void rfc5297NonceBasedExample() {
        AesSiv siv = new AesSiv(h("7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f"));
        List<byte[]> ad = List.of(
                h("00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988 77665544 33221100"),
                h("10203040 50607080 90a0"),
                h("09f91102 9d74e35b d84156c5 635688c0")); // the nonce, last
        byte[] p = h("74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970 74207573 696e6720"
                + "5349562d 414553");
        byte[] c = siv.encrypt(ad, p);
        assertThat(HEX.formatHex(c)).isEqualTo("7bdb6e3b432667eb06f4d14bff2fbd0f"
                + "cb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d");
        assertThat(siv.decrypt(ad, c)).hasValueSatisfying(v -> assertThat(v).isEqualTo(p));
    }

    @Test
    void tamperingIsDetectedAndRoundTripsHoldForAllLengths() {
        SplittableRandom rnd = new SplittableRandom(5);
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        AesSiv siv = new AesSiv(key);
        for (int len = 0; len <= 48; len++) {
            byte[] p = new byte[len];
            rnd.nextBytes(p);
            byte[] nonce = new byte[16];
            rnd.nextBytes(nonce);
            List<byte[]> ad = List.of(new byte[] {1, 2, 3}, nonce);
            byte[] c = siv.encrypt(ad, p);
            assertThat(c).hasSize(16 + len);
            assertThat(siv.decrypt(ad, c)).hasValueSatisfying(v -> assertThat(v).isEqualTo(p));
            for (int i = 0; i < c.length; i += 7) {
                byte[] bad = c.clone();
                bad[i] ^= 1;
                assertThat(siv.decrypt(ad, bad)).isEmpty();
            }
            assertThat(siv.decrypt(List.of(new byte[] {1, 2, 4}, nonce), c)).isEmpty();
        }
        assertThat(siv.decrypt(List.of(), new byte[15])).isEmpty();
        assertThatThrownBy(() -> new AesSiv(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cmacMatchesRfc4493() {
        AesCmac m = new AesCmac(h("2b7e151628aed2a6abf7158809cf4f3c"));
        assertThat(HEX.formatHex(m.mac(new byte[0]))).isEqualTo("bb1d6929e95937287fa37d129b756746");
        assertThat(HEX.formatHex(m.mac(h("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                + "30c81c46a35ce411")))).isEqualTo("dfa66747de9ae63030ca32611497c827");
    }
}
