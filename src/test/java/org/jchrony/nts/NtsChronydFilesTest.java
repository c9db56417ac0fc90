package org.jchrony.nts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ntsdumpdir} files in chronyd 4.3's formats, on files Debian's chronyd 4.3 wrote
 * (src/test/resources/nts: a server's {@code ntskeys}, and its client's {@code 127.0.0.1.nts}
 * holding cookies that server issued).
 */
class NtsChronydFilesTest {
    @TempDir Path dir;

    static String resource(String name) throws IOException {
        try (InputStream in = NtsChronydFilesTest.class.getResourceAsStream("/nts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void chronydServerKeysOpenTheCookiesChronydIssued() throws IOException {
        NtsServerKeys keys = NtsServerKeys.parseChronydText(resource("chronyd-ntskeys")).orElseThrow();
        // chronyd encrypts with the key second to last; the last one is the next key
        assertThat(keys.current().id()).isEqualTo(0x2D1E5B1B);
        assertThat(keys.next().id()).isEqualTo(0x07130430);
        assertThat(keys.keys()).hasSize(3);

        String[] client = resource("chronyd-127.0.0.1.nts").split("\n");
        String[] ctx = client[4].split(" ");
        NtsCookies cookies = new NtsCookies(keys, new SplittableRandom(1));
        int opened = 0;
        for (int i = 5; i < client.length; i++) {
            byte[] cookie = HexFormat.of().parseHex(client[i].trim());
            NtsCookies.SessionKeys s = cookies.open(cookie, 0, cookie.length).orElseThrow();
            // the client's file has S2C before C2S
            assertThat(HexFormat.of().formatHex(s.c2s())).isEqualToIgnoringCase(ctx[3]);
            assertThat(HexFormat.of().formatHex(s.s2c())).isEqualToIgnoringCase(ctx[2]);
            opened++;
        }
        assertThat(opened).isEqualTo(8);
    }

    @Test
    void cookiesJchronydIssuedAreInChronydsClientFileWithTheSameKeyOrder() throws IOException {
        // jchronyd (build of this change) served a chronyd 4.3 client; files both wrote
        NtsServerKeys keys = NtsServerKeys.parseChronydText(resource("jchrony-ntskeys")).orElseThrow();
        String[] client = resource("chronyd-client-of-jchrony.nts").split("\n");
        String[] ctx = client[4].split(" ");
        NtsCookies cookies = new NtsCookies(keys, new SplittableRandom(1));
        for (int i = 5; i < client.length; i++) {
            byte[] cookie = HexFormat.of().parseHex(client[i].trim());
            NtsCookies.SessionKeys s = cookies.open(cookie, 0, cookie.length).orElseThrow();
            assertThat(HexFormat.of().formatHex(s.c2s())).isEqualToIgnoringCase(ctx[3]);
            assertThat(HexFormat.of().formatHex(s.s2c())).isEqualToIgnoringCase(ctx[2]);
        }
    }

    @Test
    void writesChronydsFormatAndReadsItBack() throws IOException {
        NtsServerKeys keys = NtsServerKeys.parseChronydText(resource("chronyd-ntskeys")).orElseThrow();
        assertThat(keys.toChronydText()).isEqualTo(resource("chronyd-ntskeys"));
        keys.rotate(new SplittableRandom(2));
        assertThat(keys.current().id()).isEqualTo(0x07130430);
        assertThat(keys.next().id()).isEqualTo(0x07130431);
        keys.save(dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve("ntskeys")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        String text = Files.readString(dir.resolve("ntskeys"));
        assertThat(text.split("\n")).hasSize(6).startsWith("NKS0", "15 0.0");
        assertThat(text.split("\n")[2]).startsWith("FA2DC32A ");
        assertThat(text.split("\n")[4]).startsWith("07130430 ");
        NtsServerKeys back = NtsServerKeys.load(dir).orElseThrow();
        assertThat(back.current().id()).isEqualTo(keys.current().id());
        assertThat(back.current().key()).isEqualTo(keys.current().key());
        assertThat(back.next().key()).isEqualTo(keys.next().key());
        assertThat(back.keys().stream().map(NtsServerKeys.Key::id).toList())
                .isEqualTo(keys.keys().stream().map(NtsServerKeys.Key::id).toList());
    }

    @Test
    void secondsSinceRotationAreKept() throws IOException {
        NtsServerKeys keys = NtsServerKeys.generate(new SplittableRandom(9));
        assertThat(keys.loadedAgeSeconds()).isZero();
        keys.save(dir, 245.14);
        assertThat(Files.readString(dir.resolve("ntskeys")).split("\n")[1]).isEqualTo("15 245.1");
        assertThat(NtsServerKeys.load(dir).orElseThrow().loadedAgeSeconds()).isEqualTo(245.1);
    }

    @Test
    void cookieUnderOurCurrentKeyOpensAfterReload() throws IOException {
        NtsServerKeys keys = NtsServerKeys.generate(new SplittableRandom(3));
        assertThat(keys.toChronydText().split("\n")).hasSize(6);
        byte[] c2s = new byte[32];
        byte[] s2c = new byte[32];
        s2c[0] = 7;
        byte[] cookie = new NtsCookies(keys, new SplittableRandom(4)).make(new NtsCookies.SessionKeys(c2s, s2c));
        keys.save(dir);
        NtsServerKeys back = NtsServerKeys.load(dir).orElseThrow();
        assertThat(new NtsCookies(back, new SplittableRandom(5)).open(cookie, 0, cookie.length)).isPresent();
    }

    @Test
    void rejectsMalformedOrOtherAead() throws IOException {
        String good = resource("chronyd-ntskeys");
        assertThat(NtsServerKeys.parseChronydText(good.replace("15 0.0", "30 0.0"))).isEmpty();
        assertThat(NtsServerKeys.parseChronydText(good.replace("NKS0", "NKS9"))).isEmpty();
        assertThat(NtsServerKeys.parseChronydText("NKS0\n15 0.0\n")).isEmpty();
        assertThat(NtsServerKeys.parseChronydText(good.replace("2D1E5B1B ", "2D1E5B1B 00"))).isEmpty();
    }

    @Test
    void readsJchronysEarlierFileWhenChronydsIsAbsent() throws IOException {
        Files.writeString(dir.resolve(NtsServerKeys.DUMP_FILE),
                "jchrony NTS server keys 1\n5 " + "11".repeat(32) + "\n4 " + "22".repeat(32) + "\n");
        NtsServerKeys k = NtsServerKeys.load(dir).orElseThrow();
        assertThat(k.current().id()).isEqualTo(5);
        assertThat(k.find(4)).isPresent();
        assertThat(List.of(k.next().id())).containsExactly(6);
    }

    @Test
    void clientFileOfChronydRoundTrips() throws IOException {
        String text = resource("chronyd-127.0.0.1.nts");
        NtsClientSession session = new NtsClientSession(new SplittableRandom(6));
        NtsClientSession.ChronydDump d = session.restoreChronyd(text).orElseThrow();
        assertThat(d.name()).isEqualTo("127.0.0.1");
        assertThat(d.lastKeSeconds()).isEqualTo(1795710900.7);
        assertThat(d.ntpAddress()).isEqualTo("127.0.0.1");
        assertThat(d.ntpPort()).isEqualTo(23123);
        assertThat(d.contextId()).isEqualTo(1);
        assertThat(session.ready()).isTrue();
        assertThat(session.cookies()).isEqualTo(8);
        assertThat(session.cookieLength()).isEqualTo(100);
        assertThat(session.ntpPort()).isEqualTo(23123);
        assertThat(session.toChronydText(d.name(), d.lastKeSeconds(), d.ntpAddress(), d.contextId())).isEqualTo(text);
        String pool = resource("chronyd-pool-127.0.0.1.nts");
        assertThat(new NtsClientSession(new SplittableRandom(7)).restoreChronyd(pool).orElseThrow().name()).isEqualTo("localhost");
    }

    @Test
    void clientFileRejectsOtherAeadAndNoCookies() throws IOException {
        String text = resource("chronyd-127.0.0.1.nts");
        String[] lines = text.split("\n");
        NtsClientSession session = new NtsClientSession(new SplittableRandom(8));
        assertThat(session.restoreChronyd(text.replace(" 15 ", " 30 "))).isEmpty();
        assertThat(session.restoreChronyd(String.join("\n", List.of(lines).subList(0, 5)) + "\n")).isEmpty();
        assertThat(session.restoreChronyd(text.replace("NNC0", "NNC1"))).isEmpty();
        assertThat(session.ready()).isFalse();
    }
}
