package org.jchrony.client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * jchronyc's command line (bin/jchronyc), parsed as chronyc parses its own: {@code --help} and
 * {@code --version} anywhere among the arguments; then getopt-style short options that may be
 * clustered, stopping at the first command word ({@code -4 -6 -a -c -d -e -f FILE -h HOST -j -m -n
 * -N -p PORT -u USER -v}; {@code -j} is ours: JSON output). An unknown option or a missing option
 * argument prints getopt's message on stderr and the usage on stdout and exits with 1, as chronyc
 * does. Interactive on a terminal without a command, a short banner comes first (chronyc prints its
 * own there). Exit status 0 when the last command succeeded.
 */
public final class JchronycMain {
    private static final String PROGRAM = "jchronyc";
    private static final String WITH_ARGUMENT = "fhpu";
    private static final String FLAGS = "46acdejmnNv";

    private JchronycMain() {}

    /** Parsed options. */
    private static final class Args {
        String hosts;
        int port = 323;
        boolean noDns, sourceNames, csv, json, endDot, multi, ipv4, ipv6;
        List<String> command = new ArrayList<>();
    }

    static String usage(String program) {
        return "Usage: " + program + " [OPTION]... [COMMAND]...\n\n"
                + "Options:\n"
                + "  -4\t\tResolve names to IPv4 addresses only\n"
                + "  -6\t\tResolve names to IPv6 addresses only\n"
                + "  -n\t\tPrint addresses, not names\n"
                + "  -N\t\tPrint the names the sources were configured with\n"
                + "  -c\t\tPrint reports as comma-separated values\n"
                + "  -j\t\tPrint reports as JSON\n"
                + "  -e\t\tEnd each answer with a line holding a dot\n"
                + "  -m\t\tTake several commands as separate arguments\n"
                + "  -h HOST\tDaemon to ask (" + Jchronyc.Options.DEFAULT_HOSTS + ")\n"
                + "  -p PORT\tIts UDP command port (323)\n"
                + "  -v, --version\tPrint the version and exit\n"
                + "      --help\tPrint this usage and exit\n";
    }

    /** What jchronyc prints first in an interactive session on a terminal (chronyc prints its licence banner). */
    static String banner() {
        return "jchronyc (jchrony) version " + versionString() + "\n"
                + "Copyright (c) 2026 The jchrony authors. Free software under the MIT licence, without\n"
                + "warranty. A chronyc-compatible client for chronyd and jchronyd; type 'help' for commands.\n\n";
    }

    /** Runs jchronyc with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, java.io.InputStream in) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return run(args, out, err, in, terminal);
    }

    /** As {@link #run(String[], PrintStream, PrintStream, java.io.InputStream)} with the terminal test given. */
    static int run(String[] args, PrintStream out, PrintStream err, java.io.InputStream in, boolean terminal) {
        for (String a : args) {
            if (a.equals("--help")) {
                out.print(usage(PROGRAM));
                out.flush();
                return 0;
            }
            if (a.equals("--version")) {
                out.println("jchronyc (jchrony) version " + versionString());
                out.flush();
                return 0;
            }
        }
        Args o = new Args();
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.length() == 1) break;
            for (int j = 1; j < a.length(); j++) {
                char c = a.charAt(j);
                if (WITH_ARGUMENT.indexOf(c) >= 0) {
                    String value;
                    if (j + 1 < a.length()) value = a.substring(j + 1);
                    else if (i + 1 < args.length) value = args[++i];
                    else return badOption(out, err, "option requires an argument -- '" + c + "'");
                    switch (c) {
                        case 'h' -> o.hosts = value;
                        case 'p' -> o.port = atoi(value);
                        default -> { } // -f FILE, -u USER: for compatibility only
                    }
                    break;
                }
                if (FLAGS.indexOf(c) < 0) return badOption(out, err, "invalid option -- '" + c + "'");
                switch (c) {
                    case '4' -> { o.ipv4 = true; o.ipv6 = false; }
                    case '6' -> { o.ipv6 = true; o.ipv4 = false; }
                    case 'c' -> o.csv = true;
                    case 'j' -> o.json = true;
                    case 'e' -> o.endDot = true;
                    case 'm' -> o.multi = true;
                    case 'n' -> o.noDns = true;
                    case 'N' -> o.sourceNames = true;
                    case 'v' -> {
                        out.println("jchronyc (jchrony) version " + versionString());
                        out.flush();
                        return 0;
                    }
                    default -> { } // -a, -d: accepted, nothing to do
                }
            }
        }
        o.command.addAll(Arrays.asList(args).subList(i, args.length));
        if (terminal && o.command.isEmpty()) out.print(banner());
        try {
            return execute(o, out, err, in, terminal);
        } catch (java.io.IOException e) {
            err.print(e.getMessage() + "\n");
            return 1;
        }
    }

    private static int badOption(PrintStream out, PrintStream err, String message) {
        err.print(PROGRAM + ": " + message + "\n");
        err.flush();
        out.print(usage(PROGRAM));
        out.flush();
        return 1;
    }

    /** C's atoi: leading blanks, optional sign, digits; 0 when there are none. */
    static int atoi(String s) {
        int k = 0, n = s.length();
        while (k < n && Character.isWhitespace(s.charAt(k))) k++;
        boolean neg = false;
        if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) neg = s.charAt(k++) == '-';
        long v = 0;
        while (k < n && Character.isDigit(s.charAt(k)) && v < Integer.MAX_VALUE) v = v * 10 + (s.charAt(k++) - '0');
        return (int) (neg ? -v : v);
    }

    private static int execute(Args a, PrintStream out, PrintStream err, java.io.InputStream in, boolean terminal)
            throws java.io.IOException {
        int family = a.ipv4 ? Jchronyc.Options.INET4 : a.ipv6 ? Jchronyc.Options.INET6 : Jchronyc.Options.ANY;
        String h = a.hosts != null ? a.hosts : Jchronyc.Options.DEFAULT_HOSTS;
        Jchronyc.Options o = new Jchronyc.Options(Arrays.asList(h.split(",")), a.port, a.csv, a.json, a.noDns,
                a.sourceNames, a.endDot, family);
        try (Jchronyc c = new Jchronyc(o, out, err)) {
            if (!c.openIo()) {
                out.flush();
                err.print("Could not open connection to daemon\n");
                return 1;
            }
            boolean ok;
            if (!a.command.isEmpty()) {
                ok = c.runArgs(a.command, a.multi);
            } else {
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

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        int rc = run(args, out, System.err, System.in);
        out.flush();
        System.exit(rc);
    }
}
