package org.jchrony.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    /** The same lines fed to Debian's chronyd 4.3; expected messages are what it logged for them. */
    static final List<String> LINES = List.of(
            "# comment",
            "   ",
            "1 MD5 ASCII:keyone",
            "2 SHA1 HEX:0102030405060708090a0b0c0d0e0f1011121314 # trailing comment",
            "3 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C00",
            "4 TIGER abc",
            "5 HEX:zz",
            "6",
            "x MD5 abc",
            "7 MD5 ",
            "8 sha1 HEX:0102",
            "9 aes256 HEX:603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
            "10 MD5 abc extra",
            "11 ASCII:",
            "12 MD5 HEX:",
            "13 md5 plainkey",
            "1 SHA1 dup",
            "4294967295 MD5 maxid",
            "14 AES128 ASCII:0123456789abcdef",
            "15 HEX:0102030",
            "16 AES256 HEX:603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4",
            "; other comment",
            "\t17\tSHA3-512\tHEX:00112233445566778899");

    @Test
    void readsKeysAndReportsLinesAsChronyd() {
        Keys k = KeyFile.parse("k.keys", LINES);
        assertThat(k.problems()).extracting(Object::toString).containsExactly(
                "k.keys:4: Could not parse key at line 4 in file k.keys",
                "k.keys:5: Invalid length of AES128 key 3 (expected 128 bits)",
                "k.keys:6: Unsupported hash function in key 4",
                "k.keys:7: Could not decode key 5",
                "k.keys:8: Could not parse key at line 8 in file k.keys",
                "k.keys:9: Could not parse key at line 9 in file k.keys",
                "k.keys:11: Invalid type in key 8",
                "k.keys:12: Invalid type in key 9",
                "k.keys:13: Could not parse key at line 13 in file k.keys",
                "k.keys:14: Could not decode key 11",
                "k.keys:15: Could not decode key 12",
                "k.keys:16: Invalid type in key 13",
                "k.keys:20: Could not decode key 15",
                "k.keys:17: Detected duplicate key 1");
        assertThat(k.byId().keySet()).containsExactly(1L, 7L, 4294967295L, 14L, 16L, 17L);
        // first of a duplicated id wins (chronyd's authdata showed key 1 as MD5, 48 bits)
        assertThat(k.info(1)).contains(new KeyInfo(1, KeyType.MD5, 48));
        // "7 MD5" is id 7 with the default type and the ASCII key "MD5"
        assertThat(k.key(7).orElseThrow().value()).isEqualTo("MD5".getBytes());
        assertThat(k.info(4294967295L)).contains(new KeyInfo(4294967295L, KeyType.MD5, 40));
        assertThat(k.info(14)).contains(new KeyInfo(14, KeyType.AES128, 128));
        assertThat(k.info(16)).contains(new KeyInfo(16, KeyType.AES256, 256));
        assertThat(k.info(17)).contains(new KeyInfo(17, KeyType.SHA3_512, 80));
        assertThat(k.info(2)).isEmpty();
        assertThat(k.key(1).orElseThrow().toString()).doesNotContain("keyone");
    }

    @Test
    void authDataTypeNumbersAsChronydReportsThem() {
        // observed in chronyc authdata against chronyd 4.3
        assertThat(KeyType.MD5.authDataCode()).isEqualTo(1);
        assertThat(KeyType.SHA1.authDataCode()).isEqualTo(2);
        assertThat(KeyType.SHA256.authDataCode()).isEqualTo(3);
        assertThat(KeyType.SHA512.authDataCode()).isEqualTo(5);
        assertThat(KeyType.SHA3_256.authDataCode()).isEqualTo(7);
        assertThat(KeyType.AES128.authDataCode()).isEqualTo(13);
        assertThat(KeyType.AES256.authDataCode()).isEqualTo(14);
        assertThat(Arrays.stream(KeyType.values()).filter(KeyType::prefersNtpV3)).containsExactlyInAnyOrder(
                KeyType.SHA256, KeyType.SHA384, KeyType.SHA512, KeyType.SHA3_224, KeyType.SHA3_256,
                KeyType.SHA3_384, KeyType.SHA3_512);
    }

    @Test
    void decodesHexAsciiAndPlain() {
        assertThat(KeyFile.decode("HEX:00fF")).hasValueSatisfying(v -> assertThat(v).containsExactly(0, 255));
        assertThat(KeyFile.decode("ASCII:HEX:1")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("HEX:1"));
        assertThat(KeyFile.decode("plain")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("plain"));
        assertThat(KeyFile.decode("HEX:0")).isEmpty();
        assertThat(KeyFile.decode("HEX:")).isEmpty();
        assertThat(KeyFile.decode("ASCII:")).isEmpty();
    }

    @Test
    void missingFileIsAWarningAndNoKeys(@TempDir Path dir) {
        Path f = dir.resolve("absent.keys");
        Keys k = KeyFile.load(f);
        assertThat(k.size()).isZero();
        assertThat(k.problems()).extracting(Object::toString).containsExactly(f + ": Could not open keyfile " + f);
    }

    @Test
    void rekeyReplacesTheWholeTable(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("chrony.keys");
        Files.write(f, List.of("1 MD5 HEX:00112233445566778899", "2 SHA1 ASCII:0123456789"));
        KeyRing ring = KeyRing.load(f);
        assertThat(ring.keys().byId().keySet()).containsExactly(1L, 2L);
        byte[] pkt = new byte[MacCheck.MAX_REQUEST_LENGTH];
        assertThat(ring.sign(2, 4, pkt, 48)).isEqualTo(72);
        var view = ring.threadConfinedView();
        assertThat(view.verify(2, pkt, 48, 24, 20)).isTrue();
        Files.write(f, List.of("2 AES128 HEX:2B7E151628AED2A6ABF7158809CF4F3C", "3 SHA256 ASCII:abcdefghijkl"));
        ring.reload();
        assertThat(view.verify(2, pkt, 48, 24, 20)).isFalse(); // the view follows the reload
        assertThat(view.sign(3, 3, pkt, 48)).isEqualTo(48 + 4 + 32);
        assertThat(ring.verify(3, pkt, 48, 36, 64)).isTrue();
        assertThat(ring.info(1)).isEmpty();
        assertThat(ring.info(2)).contains(new KeyInfo(2, KeyType.AES128, 128));
        assertThat(ring.verify(2, pkt, 48, 24, 20)).isFalse(); // signed with the old SHA1 key
        Files.delete(f);
        ring.reload();
        assertThat(ring.keys().size()).isZero();
        assertThat(ring.sign(2, 4, pkt, 48)).isEqualTo(-1);
        assertThat(KeyRing.none().reload().size()).isZero();
    }
}
