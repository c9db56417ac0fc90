package org.jchrony.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** include / confdir / sourcedir against real files in a temporary directory. */
class IncludeTest {
    @TempDir
    Path dir;

    private Path write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static List<String> names(ParseResult r) {
        return r.directives().stream()
                .filter(d -> d instanceof Directive.NtpSource)
                .map(d -> ((Directive.NtpSource) d).name())
                .toList();
    }

    @Test
    void includeExpandsGlobInNameOrderInPlace() throws Exception {
        write("inc/b.conf", "server b\n");
        write("inc/a.conf", "server a\n");
        write("inc/c.txt", "server c\n");
        write("inc/.hidden.conf", "server hidden\n");
        Path main = write("chrony.conf", "server first\ninclude " + dir.resolve("inc") + "/*.conf\nserver last\n");
        ParseResult r = ConfigParser.parseFile(main);
        assertEquals(List.of("first", "a", "b", "last"), names(r));
        assertEquals(new SourceLocation(dir.resolve("inc/a.conf").toString(), 1), r.directives().get(2).location());
        assertEquals(List.of("server first", "server a", "server b", "server last"), r.printedLines());
        assertThat(r.directives().get(1)).isInstanceOf(Directive.Include.class);
    }

    @Test
    void includeGlobInDirectoryComponentAndCharacterClass() throws Exception {
        write("x1.d/s.conf", "server x1\n");
        write("x2.d/s.conf", "server x2\n");
        write("y.d/s.conf", "server y\n");
        Path main = write("chrony.conf", "include " + dir + "/x[0-9].d/?.conf\n");
        assertEquals(List.of("x1", "x2"), names(ConfigParser.parseFile(main)));
    }

    @Test
    void includePatternWithoutMatchIsFineButMissingLiteralFileIsAnError() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("afile"), "");
        Path ok = write("ok.conf", "include " + dir + "/empty/*.conf\ninclude " + dir + "/e*/missing/*.conf\n"
                + "include " + dir + "/afile/*.conf\nserver a\n");
        assertEquals(List.of("a"), names(ConfigParser.parseFile(ok)));
        // glibc glob with GLOB_ERR aborts when a literally named directory to search is missing
        Path abort = write("abort.conf", "include " + dir + "/nothing/*.conf\nserver a\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(abort))
                .hasMessage(abort + ":1: Could not search for files matching " + dir + "/nothing/*.conf");
        Path bad = write("bad.conf", "\ninclude " + dir + "/missing.conf\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessage(bad + ":2: Could not open " + dir + "/missing.conf : No such file or directory");
    }

    @Test
    void missingTopLevelFile() {
        Path none = dir.resolve("none.conf");
        assertThatThrownBy(() -> ConfigParser.parseFile(none))
                .isInstanceOf(ConfigException.class)
                .hasMessage(none + ": Could not open " + none + " : No such file or directory");
    }

    @Test
    void errorsInIncludedFilesNameThatFileAndLine() throws Exception {
        write("inc/x.conf", "server ok\n\nmaxupdateskew lots\n");
        Path main = write("chrony.conf", "include " + dir.resolve("inc/x.conf") + "\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(main))
                .hasMessage(dir.resolve("inc/x.conf") + ":3: Could not parse maxupdateskew directive");
    }

    @Test
    void includeNestingIsLimitedToTenFiles() throws Exception {
        Path self = dir.resolve("loop.conf");
        Files.writeString(self, "include " + self + "\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(self))
                .hasMessage(self + ":1: Maximum include level reached");
        // nine nested includes below the top file are fine
        for (int i = 1; i <= 9; i++) {
            write("n" + i + ".conf", i < 9 ? "include " + dir.resolve("n" + (i + 1) + ".conf") + "\n" : "server deep\n");
        }
        Path top = write("top.conf", "include " + dir.resolve("n1.conf") + "\n");
        assertEquals(List.of("deep"), names(ConfigParser.parseFile(top)));
    }

    @Test
    void confdirSortsByFileNameAndFirstDirectoryWins() throws Exception {
        write("d1/20-b.conf", "server d1-b\n");
        write("d1/10-a.conf", "server d1-a\n");
        write("d2/10-a.conf", "server d2-a\n");
        write("d2/15-c.conf", "server d2-c\n");
        write("d2/30-d.sources", "server nope\n");
        write("d2/.40-e.conf", "server hidden\n");
        Path main = write("chrony.conf", "confdir " + dir.resolve("d1") + " " + dir.resolve("d2") + " "
                + dir.resolve("absent") + "\n");
        ParseResult r = ConfigParser.parseFile(main);
        assertEquals(List.of("d1-a", "d2-c", "d1-b"), names(r));
        assertEquals(List.of("server d1-a", "server d2-c", "server d1-b"), r.printedLines());
        // the other order of directories lets d2 win for 10-a.conf
        Path other = write("other.conf", "confdir " + dir.resolve("d2") + " " + dir.resolve("d1") + "\n");
        assertEquals(List.of("d2-a", "d2-c", "d1-b"), names(ConfigParser.parseFile(other)));
    }

    @Test
    void sourcedirReadsOnlySourceLinesOfSourcesFiles() throws Exception {
        write("s1/eth0.sources", "server 192.0.2.1 iburst\n# comment\n\npool dhcp.example.net maxsources 2\n"
                + "allow all\nserver bad minpoll x\npeer 192.0.2.9\n");
        write("s1/eth1.sources", "server 192.0.2.2\nserver unterminated");
        write("s2/eth0.sources", "server shadowed\n");
        write("s2/wlan0.sources", "SERVER 192.0.2.3 prefer\n");
        write("s2/x.conf", "server notasource\n");
        Path main = write("chrony.conf", "sourcedir " + dir.resolve("s1") + " " + dir.resolve("s2") + "\n"
                + "sourcedir " + dir.resolve("missing") + "\nserver conf.example.net\n");
        ParseResult r = ConfigParser.parseFile(main);
        assertEquals(List.of("conf.example.net"), names(r));
        assertEquals(List.of("192.0.2.1", "dhcp.example.net", "192.0.2.9", "192.0.2.2", "192.0.2.3"),
                r.sourceDirSources().stream().map(Directive.NtpSource::name).toList());
        assertEquals(2, r.sourceDirSources().get(1).options().maxSources());
        assertEquals(Directive.SourceType.POOL, r.sourceDirSources().get(1).type());
        assertEquals(new SourceLocation(dir.resolve("s1/eth0.sources").toString(), 7),
                r.sourceDirSources().get(2).location());
        assertThat(r.warnings()).containsExactly(
                dir.resolve("s1/eth0.sources") + ":5: invalid source line ignored: allow all",
                dir.resolve("s1/eth0.sources") + ":6: invalid source line ignored: server bad minpoll x",
                dir.resolve("s1/eth1.sources") + ":2: line not terminated by newline, ignored");
        // chronyd -p does not print sourcedir contents
        assertEquals(List.of("sourcedir " + dir.resolve("s1") + " " + dir.resolve("s2"),
                "sourcedir " + dir.resolve("missing"), "server conf.example.net"), r.printedLines());

        DaemonConfig cfg = DaemonConfig.from(r);
        assertEquals(6, cfg.allSources().size());
        assertEquals(2, cfg.sourceDirs().size());

        // reload (chronyc reload sources) sees changed files
        write("s2/wlan0.sources", "server 192.0.2.4\n");
        ConfigParser.SourceDirContents again = ConfigParser.loadSourceDirs(cfg.sourceDirs());
        assertThat(again.sources()).extracting(Directive.NtpSource::name).contains("192.0.2.4")
                .doesNotContain("192.0.2.3");
    }

    @Test
    void commandLineLinesReplaceTheFile() throws Exception {
        write("inc/a.conf", "server included\n");
        ParseResult r = ConfigParser.parseLines(List.of("server cli iburst", "include " + dir + "/inc/*.conf",
                "allow 127.0.0.1"), "command line");
        assertEquals(List.of("cli", "included"), names(r));
        assertEquals(new SourceLocation("command line", 3), r.directives().get(3).location());
        assertThatThrownBy(() -> ConfigParser.parseLines(List.of("server a", "bogus"), "command line"))
                .hasMessage("command line:2: Invalid directive bogus");
    }
}
