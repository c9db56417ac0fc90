package org.jchrony.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jchronyc: chronyc's command line (bin/jchronyc). Exit status 0 when the last command succeeded. */
@Command(name = "jchronyc", mixinStandardHelpOptions = false, usageHelpAutoWidth = true,
        description = "Command-line interface for chronyd/jchronyd, output-compatible with chronyc")
public final class JchronycMain implements Callable<Integer> {
    @Option(names = "-h", paramLabel = "HOST", description = "Server(s): socket path or hostname, comma-separated")
    String hosts;
    @Option(names = "-p", paramLabel = "PORT", description = "UDP port (323)")
    int port = 323;
    @Option(names = "-n", description = "Don't resolve hostnames") boolean noDns;
    @Option(names = "-N", description = "Print original source names") boolean sourceNames;
    @Option(names = "-c", description = "CSV format") boolean csv;
    @Option(names = "-j", description = "JSON output (one object per report line)") boolean json;
    @Option(names = "-e", description = "End responses with a line containing a dot") boolean endDot;
    @Option(names = "-m", description = "Accept multiple commands") boolean multi;
    @Option(names = "-d", description = "Debug messages (ignored)") boolean debug;
    @Option(names = "-4", description = "IPv4 only") boolean ipv4;
    @Option(names = "-6", description = "IPv6 only") boolean ipv6;
    @Option(names = "-a", description = "For compatibility only") boolean compatA;
    @Option(names = "-f", paramLabel = "FILE", description = "For compatibility only") String compatF;
    @Option(names = "-u", paramLabel = "USER", description = "For compatibility only (user to drop to)") String compatU;
    @Option(names = {"-v", "--version"}, description = "Print version and exit") boolean version;
    @Option(names = "--help", usageHelp = true, description = "Print usage and exit") boolean help;
    @Parameters(arity = "0..*", paramLabel = "COMMAND") List<String> command = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;
    private final java.io.InputStream in;

    JchronycMain(PrintStream out, PrintStream err, java.io.InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    @Override
    public Integer call() throws Exception {
        if (version) {
            out.println("jchronyc (jchrony) version " + versionString());
            return 0;
        }
        int family = ipv4 ? Jchronyc.Options.INET4 : ipv6 ? Jchronyc.Options.INET6 : Jchronyc.Options.ANY;
        String h = hosts != null ? hosts : Jchronyc.Options.DEFAULT_HOSTS;
        Jchronyc.Options o = new Jchronyc.Options(Arrays.asList(h.split(",")), port, csv, json, noDns, sourceNames,
                endDot, family);
        try (Jchronyc c = new Jchronyc(o, out, err)) {
            if (!c.openIo()) {
                err.print("Could not open connection to daemon\n");
                return 1;
            }
            boolean ok;
            if (!command.isEmpty()) {
                ok = c.runArgs(command, multi);
            } else {
                boolean terminal = System.console() != null && System.console().isTerminal();
                ok = c.runInteractive(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), terminal);
            }
            out.flush();
            return ok ? 0 : 1;
        }
    }

    private static String versionString() {
        String v = JchronycMain.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Runs jchronyc with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, java.io.InputStream in) {
        CommandLine cl = new CommandLine(new JchronycMain(out, err, in));
        cl.setStopAtPositional(true);
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        int rc = run(args, out, System.err, System.in);
        out.flush();
        System.exit(rc);
    }
}
