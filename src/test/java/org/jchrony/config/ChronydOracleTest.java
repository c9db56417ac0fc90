package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential tests against Debian's real chronyd 4.3 in print mode ({@code chronyd -x -p}),
 * which parses the configuration, prints it and exits before doing anything else. Only
 * inputs whose handling did not change between 4.3 and 4.8 are compared.
 */
class ChronydOracleTest {
    private static final Path CHRONYD = Path.of("/usr/sbin/chronyd");

    @TempDir
    Path dir;

    @BeforeAll
    static void needChronyd() {
        Assumptions.assumeTrue(Files.isExecutable(CHRONYD), "chronyd not installed");
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run chronyd(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHRONYD.toString(), "-x", "-p"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chronyd -p did not exit");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-chrony.conf", "rhel-chrony.conf", "chrony.conf.example1", "chrony.conf.example2",
            "chrony.conf.example3", "example3-uncommented.conf"})
    void printsTheSameConfigurationAsChronyd(String name) throws Exception {
        Path f = ShippedConfigTest.resource(name);
        Run real = chronyd(List.of("-f", f.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseFile(f).toConfigText());
    }

    @Test
    void whitespaceCommentsAndIncludesPrintLikeChronyd() throws Exception {
        Path inc = dir.resolve("conf.d");
        Files.createDirectories(inc);
        Files.writeString(inc.resolve("b.conf"), "  Allow\t10/8  \n");
        Files.writeString(inc.resolve("a.conf"), "deny 10.1/16\r\n");
        Files.writeString(dir.resolve("extra.conf"), "cmdport 0");
        Path main = dir.resolve("chrony.conf");
        Files.writeString(main, "\t\tSERVER   192.0.2.1\t iburst   minpoll  4\n"
                + "   ; indented comment\n# c\n%c\n!c\n\n"
                + "confdir " + inc + "\ninclude " + dir + "/extra.*\n"
                + "maxupdateskew     1e2\nlocal stratum 10 orphan\nratelimit interval 4 burst 4\n"
                + "bindcmdaddress /\nmakestep 1 -1\n");
        Run real = chronyd(List.of("-f", main.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseFile(main).toConfigText());
    }

    @Test
    void includingADirectoryReadsNothingLikeChronyd() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Path main = dir.resolve("chrony.conf");
        Files.writeString(main, "include " + dir.resolve("sub") + "\nserver a\n");
        Run real = chronyd(List.of("-f", main.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseFile(main).toConfigText());
    }

    @Test
    void includeGlobEdgeCasesLikeChronyd() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("afile"), "");
        Path main = dir.resolve("chrony.conf");
        Files.writeString(main, "include " + dir + "/empty/*.conf\ninclude " + dir + "/e*/missing/*.conf\n"
                + "include " + dir + "/afile/*.conf\nserver a\n");
        Run real = chronyd(List.of("-f", main.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseFile(main).toConfigText());
        for (String bad : List.of("include " + dir + "/nothing/*.conf", "include " + dir + "/missing.conf",
                "include " + main, "x".repeat(2047))) {
            Files.writeString(main, bad + "\n");
            Run r = chronyd(List.of("-f", main.toString()));
            assertNotEquals(0, r.exitCode());
            String what = r.stderr().substring(r.stderr().indexOf("Fatal error : ") + 14).strip()
                    .replace(" at line 1 in file " + main, "");
            assertThatThrownBy(() -> ConfigParser.parseFile(main)).hasMessageEndingWith(": " + what);
        }
    }

    @Test
    void confdirOrderAndShadowingLikeChronyd() throws Exception {
        for (String[] f : new String[][] {{"d1/20-b.conf", "maxupdateskew 1"}, {"d1/10-a.conf", "maxupdateskew 2"},
                {"d2/10-a.conf", "maxupdateskew 3"}, {"d2/15-c.conf", "maxupdateskew 4"}, {"d2/B.conf", "maxupdateskew 5"},
                {"d2/.h.conf", "maxupdateskew 6"}, {"d3/_x.conf", "maxupdateskew 7"}, {"d3/x.sources", "server s"}}) {
            Path p = dir.resolve(f[0]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f[1] + "\n");
        }
        Path main = dir.resolve("chrony.conf");
        Files.writeString(main, "confdir " + dir.resolve("d1") + " " + dir.resolve("none") + " " + dir.resolve("d2")
                + " " + dir.resolve("d3") + "\nconfdir " + dir.resolve("d2") + " " + dir.resolve("d1") + "\n");
        Run real = chronyd(List.of("-f", main.toString()));
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseFile(main).toConfigText());
    }

    @Test
    void printsUpToTheBadLineLikeChronyd() throws Exception {
        Path inc = dir.resolve("inc.conf");
        Files.writeString(inc, "rtcsync\nmaxupdateskew x\nserver never.printed\n");
        Path main = dir.resolve("chrony.conf");
        Files.writeString(main, "server a iburst\ninclude " + inc + "\nserver b\n");
        Run real = chronyd(List.of("-f", main.toString()));
        assertNotEquals(0, real.exitCode());
        StringBuilder out = new StringBuilder();
        assertThatThrownBy(() -> ConfigParser.parseFile(main, l -> out.append(l).append('\n')))
                .hasMessage(inc + ":2: Could not parse maxupdateskew directive");
        assertEquals(real.stdout(), out.toString());
    }

    @Test
    void commandLineDirectivesPrintLikeChronyd() throws Exception {
        List<String> lines = List.of("server  192.0.2.1   iburst", "allow", "# not printed", "local stratum 8");
        Run real = chronyd(lines);
        assertEquals(0, real.exitCode(), real.stderr());
        assertEquals(real.stdout(), ConfigParser.parseLines(lines, "command line").toConfigText());
    }

    /** chronyd's fatal message is "MESSAGE at line N in file F"; ours is "F:N: MESSAGE[ detail]". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxupdateskew abc", "maxupdateskew", "MaxUpdateSkew 1 2", "rtcsync now", "keyfile", "keyfile /a /b",
        "makestep 1", "makestep 1 x", "bindaddress 1.2.3.256", "bindcmdaddress 1:2:3:4:5:6:7:8:9",
        "allow 1.2.3.4/x", "allow 256", "allow 1.2.3.4 5.6.7.8", "ratelimit foo 1", "ratelimit interval x",
        "leapsecmode jump", "port x", "port", "log foo", "foo bar", "fallbackdrift 16", "mailonchange root x",
        "smoothtime 400", "smoothtime 1 2 always", "broadcast 30", "hwtimestamp eth0 bogus", "clientloglimit x",
        "local stratum 16", "maxchange 1 2"})
    void rejectsWhatChronydRejectsWithItsWording(String line) throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, "# comment\n" + line + "\n");
        Run real = chronyd(List.of("-f", f.toString()));
        assertNotEquals(0, real.exitCode());
        String marker = "Fatal error : ";
        String msg = real.stderr().substring(real.stderr().indexOf(marker) + marker.length());
        String chronydWhat = msg.substring(0, msg.indexOf(" at line 2 in file " + f)).strip();
        assertThatThrownBy(() -> ConfigParser.parseFile(f))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    assertEquals(new SourceLocation(f.toString(), 2), ce.location().orElseThrow());
                    // 4.3 says "Invalid directive" / "Invalid log parameter" without naming the word,
                    // and "Could not parse local directive" where 4.8 says "Invalid value in local directive"
                    if (chronydWhat.equals("Could not parse local directive")) {
                        assertThat(ce.detail()).startsWith("Invalid value in local directive");
                    } else {
                        assertThat(ce.detail()).startsWith(chronydWhat);
                    }
                });
    }
}
