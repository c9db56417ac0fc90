package org.jchrony.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jchrony.auth.NtsAuthenticator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NtsSourceClient} with {@code ntsdumpdir}: reads the files chronyd 4.3 wrote
 * (src/test/resources/nts) for a server and a pool member, is ready with no NTS-KE, and writes
 * them back under chronyd's names.
 */
class NtsSourceClientDumpTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    @TempDir Path dir;
    final AtomicLong now = new AtomicLong((long) (1795710900.7e9) + 60_000_000_000L);

    static String resource(String name) throws IOException {
        try (InputStream in = NtsSourceClientDumpTest.class.getResourceAsStream("/nts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private NtsSourceClient client(String name) {
        return new NtsSourceClient(name, 23125, null, now::get, 2419200, new SplittableRandom(1), dir, null);
    }

    @Test
    void serverSourceUsesChronydsCookiesAndWritesThemBack() throws IOException {
        String text = resource("chronyd-127.0.0.1.nts");
        Files.writeString(dir.resolve("127.0.0.1.nts"), text);
        NtsSourceClient c = client("127.0.0.1");
        assertThat(c.prepare(LOCAL, () -> { })).isTrue();
        assertThat(c.ntpPort()).isEqualTo(23123);
        assertThat(c.ntpAddress(LOCAL)).isEqualTo(LOCAL);
        NtsAuthenticator.Report r = c.report();
        assertThat(r.cookies()).isEqualTo(8);
        Files.delete(dir.resolve("127.0.0.1.nts"));
        c.save();
        assertThat(Files.readString(dir.resolve("127.0.0.1.nts"))).isEqualTo(text);
        assertThat(Files.getPosixFilePermissions(dir.resolve("127.0.0.1.nts")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void poolMemberFileIsKeyedByAddressAndSavedByThePool() throws IOException {
        String text = resource("chronyd-pool-127.0.0.1.nts");
        Files.writeString(dir.resolve("127.0.0.1.nts"), text);
        NtsSourceClient pool = client("localhost");
        NtsAuthenticator member = pool.forAnotherServer();
        assertThat(member.prepare(LOCAL, () -> { })).isTrue();
        Files.delete(dir.resolve("127.0.0.1.nts"));
        pool.save();
        assertThat(Files.readString(dir.resolve("127.0.0.1.nts"))).isEqualTo(text);
    }

    @Test
    void fileOfAnotherNameOrTooOldIsNotUsed() throws IOException {
        Files.writeString(dir.resolve("127.0.0.1.nts"), resource("chronyd-pool-127.0.0.1.nts"));
        assertThat(client("127.0.0.1").prepare(LOCAL, () -> { })).isFalse();
        now.addAndGet(2419200L * 1_000_000_000L);
        assertThat(client("localhost").prepare(LOCAL, () -> { })).isFalse();
    }

    @Test
    void ipv6FileNameIsCompressed() throws Exception {
        assertThat(NtsSourceClient.chronydFileName(InetAddress.getByName("::1"))).isEqualTo("::1.nts");
        assertThat(NtsSourceClient.chronydFileName(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1.nts");
    }
}
