package org.jchrony.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jchrony.cli.CommandLine;
import org.junit.jupiter.api.Test;

/**
 * The shell launchers decide, before any JVM runs, whether chronyd would fork; their small getopt
 * mirror ({@code detaches} in bin/jchronyd and src/deb/bin/jchronyd) must agree with
 * {@link CommandLine} on every command line, or a foreground mode would lose its terminal.
 */
class LauncherDetachDecisionIT {
    private static final List<Path> LAUNCHERS = List.of(JchronydProcess.TOP.resolve("bin/jchronyd"),
            JchronydProcess.TOP.resolve("src/deb/bin/jchronyd"));

    private static final List<List<String>> COMMAND_LINES = List.of(
            List.of(), List.of("-x"), List.of("-n"), List.of("-d"), List.of("-dd"), List.of("-x", "-n"), List.of("-xn"),
            List.of("-nx"), List.of("-xd"), List.of("-p"), List.of("-q"), List.of("-Q"), List.of("-v"), List.of("-h"),
            List.of("--help"), List.of("--version"), List.of("--bogus"), List.of("-Z"), List.of("-xZ"),
            List.of("-f"), List.of("-x", "-f"), List.of("-f", "/etc/nd.conf"), List.of("-f/etc/nd.conf"),
            List.of("-xf", "/n"), List.of("-xf/n"), List.of("-f", "-n"), List.of("-u", "root", "-x"), List.of("-uroot"),
            List.of("-L", "0"), List.of("-L0"), List.of("-l", "/tmp/d.log"), List.of("-t", "5"), List.of("-t5", "-n"),
            List.of("-P", "1"), List.of("-F", "1"), List.of("-4"), List.of("-6"), List.of("-r", "-R", "-s", "-m", "-U"),
            List.of("--", "-n"), List.of("-x", "--", "-d"), List.of("-x", "server a iburst", "-n"),
            List.of("server a"), List.of("-"), List.of("-", "-n"), List.of(""), List.of("-x", "-l"));

    /** What cli/CommandLine does: background only for a daemon run without -n/-d/-q/-Q/-p. */
    private static boolean javaDetaches(List<String> args) {
        return CommandLine.parse(args.toArray(String[]::new)) instanceof CommandLine.Parsed.Run r
                && !r.options().foreground() && !r.options().printConfig();
    }

    /** The launcher's own function, run by sh on {@code args}. */
    private static boolean shellDetaches(String function, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", function + "\ndetaches \"$@\"", "sh"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("no output from the function").isEmpty();
        return p.exitValue() == 0;
    }

    private static String function(Path launcher) throws Exception {
        String text = Files.readString(launcher);
        int start = text.indexOf("detaches() {");
        int end = text.indexOf("\n}\n", start);
        assertThat(start).as("detaches() in " + launcher).isPositive();
        return text.substring(start, end + 2);
    }

    @Test
    void bothLaunchersCarryTheSameFunction() throws Exception {
        assertThat(function(LAUNCHERS.get(0))).isEqualTo(function(LAUNCHERS.get(1)));
    }

    @Test
    void theLaunchersForkExactlyWhenTheJvmWouldDetach() throws Exception {
        String fn = function(LAUNCHERS.get(0));
        for (List<String> args : COMMAND_LINES) {
            assertThat(shellDetaches(fn, args)).as("background for %s", args).isEqualTo(javaDetaches(args));
        }
        // and the cases that matter most, spelled out
        assertThat(javaDetaches(List.of("-x"))).isTrue();
        assertThat(javaDetaches(List.of("-n", "-x"))).isFalse();
    }
}
