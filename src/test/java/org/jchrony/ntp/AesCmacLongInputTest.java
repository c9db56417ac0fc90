package org.jchrony.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * AesCmac's one-pass CBC path for long inputs against a plain block-by-block CMAC written here
 * from RFC 4493 section 2.4, for every length up to 400 bytes, 128- and 256-bit keys, offsets,
 * and after {@link AesCmac#rekey}.
 */
class AesCmacLongInputTest {
    static byte[] reference(byte[] key, byte[] m, int off, int len) throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] k1 = AesCmac.dbl(aes.doFinal(new byte[16]));
        byte[] k2 = AesCmac.dbl(k1);
        int n = Math.max(1, (len + 15) / 16);
        boolean complete = len > 0 && len % 16 == 0;
        byte[] x = new byte[16];
        for (int b = 0; b < n; b++) {
            byte[] blk = new byte[16];
            for (int i = 0; i < 16; i++) {
                int p = b * 16 + i;
                blk[i] = p < len ? m[off + p] : p == len ? (byte) 0x80 : 0;
                if (b == n - 1) blk[i] ^= complete ? k1[i] : k2[i];
                blk[i] ^= x[i];
            }
            x = aes.doFinal(blk);
        }
        return x;
    }

    @Test
    void longInputsMatchTheBlockByBlockDefinition() throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        for (int keyLen : new int[] {16, 32}) {
            byte[] key = new byte[keyLen];
            r.nextBytes(key);
            AesCmac cmac = new AesCmac(key);
            byte[] data = new byte[420];
            r.nextBytes(data);
            for (int len = 0; len <= 400; len++) {
                int off = len % 7;
                assertThat(cmac.mac(data, off, len)).as("len %d", len).isEqualTo(reference(key, data, off, len));
            }
            byte[] other = new byte[keyLen];
            r.nextBytes(other);
            cmac.rekey(other);
            for (int len : new int[] {0, 15, 16, 64, 65, 200, 400}) {
                assertThat(cmac.mac(data, 3, len)).isEqualTo(reference(other, data, 3, len));
            }
        }
    }
}
