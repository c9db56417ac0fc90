package org.jchrony.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {

    private static DaemonOptions run(String... args) {
        CommandLine.Parsed p = CommandLine.parse(args);
        assertThat(p).isInstanceOf(CommandLine.Parsed.Run.class);
        return ((CommandLine.Parsed.Run) p).options();
    }

    @Test
    void defaults() {
        DaemonOptions o = run();
        assertThat(o.configFile()).isNull();
        assertThat(o.foreground()).isFalse();
        assertThat(o.debugLevel()).isZero();
        assertThat(o.timeoutSeconds()).isNegative();
        assertThat(o.directives()).isEmpty();
        assertThat(o.noClockControl()).isFalse();
    }

    @Test
    void everyFlag() {
        DaemonOptions o = run("-4", "-6", "-n", "-p", "-q", "-Q", "-r", "-R", "-s", "-U", "-m", "-x");
        assertThat(o.ipv4Only()).isTrue();
        assertThat(o.ipv6Only()).isTrue();
        assertThat(o.noDetach()).isTrue();
        assertThat(o.printConfig()).isTrue();
        assertThat(o.setClockOnce()).isTrue();
        assertThat(o.printOffsetOnce()).isTrue();
        assertThat(o.reloadDumps()).isTrue();
        assertThat(o.restartMode()).isTrue();
        assertThat(o.setFromRtc()).isTrue();
        assertThat(o.noRootCheck()).isTrue();
        assertThat(o.lockMemory()).isTrue();
        assertThat(o.noClockControl()).isTrue();
    }

    @Test
    void everyOptionWithArgumentSeparateAndAttached() {
        DaemonOptions o = run("-f", "/a.conf", "-l", "/log", "-L", "2", "-t", "1.5", "-u", "nobody", "-F", "1", "-P", "5");
        assertThat(o.configFile()).isEqualTo(Path.of("/a.conf"));
        assertThat(o.logFile()).isEqualTo(Path.of("/log"));
        assertThat(o.logLevel()).isEqualTo(2);
        assertThat(o.timeoutSeconds()).isEqualTo(1.5);
        assertThat(o.user()).isEqualTo("nobody");
        assertThat(o.seccompLevel()).isEqualTo(1);
        assertThat(o.schedPriority()).isEqualTo(5);
        DaemonOptions attached = run("-f/b.conf", "-L-1", "-t3");
        assertThat(attached.configFile()).isEqualTo(Path.of("/b.conf"));
        assertThat(attached.logLevel()).isEqualTo(-1);
        assertThat(attached.timeoutSeconds()).isEqualTo(3);
    }

    @Test
    void clusteredFlagsAndRepeatedDebug() {
        DaemonOptions o = run("-ddx");
        assertThat(o.debugLevel()).isEqualTo(2);
        assertThat(o.noClockControl()).isTrue();
        assertThat(o.foreground()).isTrue();
        assertThat(run("-xf", "/c.conf").configFile()).isEqualTo(Path.of("/c.conf"));
    }

    @Test
    void trailingArgumentsAreDirectives() {
        DaemonOptions o = run("-q", "server 127.0.0.1 iburst", "makestep 1 3");
        assertThat(o.directives()).containsExactly("server 127.0.0.1 iburst", "makestep 1 3");
        assertThat(o.oneShot()).isTrue();
        assertThat(o.foreground()).isTrue();
        assertThat(run("--", "-x").directives()).isEqualTo(List.of("-x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-Z|invalid option -- 'Z'",
            "-f|option requires an argument -- 'f'",
            "-L x|invalid argument 'x' for -L",
            "--bogus|unrecognized option '--bogus'"})
    void errorsAreWordedLikeGetopt(String args, String message) {
        CommandLine.Parsed p = CommandLine.parse(args.split(" "));
        assertThat(p).isEqualTo(new CommandLine.Parsed.Error(message));
    }

    @Test
    void versionAndHelp() {
        assertThat(CommandLine.parse(new String[] {"-v"})).isInstanceOf(CommandLine.Parsed.PrintVersion.class);
        assertThat(CommandLine.parse(new String[] {"--version"})).isInstanceOf(CommandLine.Parsed.PrintVersion.class);
        assertThat(CommandLine.parse(new String[] {"-h"})).isInstanceOf(CommandLine.Parsed.PrintHelp.class);
        assertThat(CommandLine.parse(new String[] {"--help"})).isInstanceOf(CommandLine.Parsed.PrintHelp.class);
        assertThat(Version.line("jchronyd")).matches("jchronyd \\(jchrony\\) version \\S+ \\((?:[+-][A-Z0-9]+ ?)+\\)");
        // the same feature names in chronyd's order (its -v line), whatever their signs
        if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/chronyd"))) {
            try {
                Process p = new ProcessBuilder("/usr/sbin/chronyd", "-v").redirectErrorStream(true).start();
                String theirs = new String(p.getInputStream().readAllBytes()).strip();
                p.waitFor();
                java.util.function.Function<String, String> names = line ->
                        line.substring(line.lastIndexOf('(') + 1, line.lastIndexOf(')')).replaceAll("[+-]", "");
                assertThat(names.apply(Version.line("jchronyd"))).isEqualTo(names.apply(theirs));
            } catch (java.io.IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(CommandLine.usage("jchronyd")).startsWith("Usage: jchronyd [OPTION]... [DIRECTIVE]...")
                .contains("-x\t\tDon't control clock");
    }
}
