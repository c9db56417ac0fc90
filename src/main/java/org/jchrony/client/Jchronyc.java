package org.jchrony.client;

import static org.jchrony.cmdmon.Candm.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.jchrony.cmdmon.CandmCodec;
import org.jchrony.cmdmon.Command;
import org.jchrony.cmdmon.IpAddr;
import org.jchrony.cmdmon.ReplyBody;
import org.jchrony.cmdmon.Status;
import org.jchrony.cmdmon.Timespec;

/**
 * chronyc's command interpreter: parses a command line as chronyc 4.3 does, sends the requests
 * and prints what chronyc prints (same text, CSV mode, -v legends, status lines), or JSON with
 * {@code -j}. One instance per session; not thread-safe.
 */
public final class Jchronyc implements AutoCloseable {
    /** Command-line settings. */
    public record Options(List<String> hosts, int port, boolean csv, boolean json, boolean noDns, boolean sourceNames,
                          boolean endDot, int family) {
        public static final int ANY = 0, INET4 = 4, INET6 = 6;
        public static final String DEFAULT_HOSTS = "/run/chrony/chronyd.sock,127.0.0.1,::1";
    }

    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private final RandomGenerator random;
    private final List<Object> addresses = new ArrayList<>(); // Path or InetAddress
    private int nextAddress;
    private CandmClient client;
    private int timeoutMillis = 1000;
    private int retries = 2;
    private boolean quit;
    private boolean noDns;
    private int dnsFamily;
    private final Json json;

    public Jchronyc(Options options, PrintStream out, PrintStream err) {
        this(options, out, err, new SecureRandom());
    }

    public Jchronyc(Options options, PrintStream out, PrintStream err, RandomGenerator random) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.random = random;
        this.noDns = options.noDns();
        this.dnsFamily = options.family();
        this.json = options.json() ? new Json() : null;
        for (String h : options.hosts()) {
            if (h.startsWith("/")) {
                addresses.add(Path.of(h));
            } else {
                try {
                    for (InetAddress a : InetAddress.getAllByName(h)) {
                        if (familyOk(a, options.family())) addresses.add(a);
                    }
                } catch (UnknownHostException e) {
                    // chronyc skips unresolvable names
                }
            }
        }
    }

    private static boolean familyOk(InetAddress a, int family) {
        return family == Options.ANY || (family == Options.INET4 && a instanceof Inet4Address)
                || (family == Options.INET6 && a instanceof Inet6Address);
    }

    /** Opens the first usable daemon address (chronyc's open_io); false when none is left. */
    public boolean openIo() {
        closeClient();
        while (nextAddress < addresses.size()) {
            Object a = addresses.get(nextAddress++);
            try {
                Transport t = a instanceof Path p ? new UnixTransport(p) : new UdpTransport((InetAddress) a, options.port());
                client = new CandmClient(t, random);
                client.setInitialTimeoutMillis(timeoutMillis);
                client.setMaxRetries(retries);
                return true;
            } catch (IOException e) {
                // try the next one
            }
        }
        return false;
    }

    public boolean quitRequested() { return quit; }

    private void closeClient() {
        if (client != null) client.close();
        client = null;
    }

    @Override
    public void close() { closeClient(); }

    // ------------------------------------------------------------------ exchange

    private static final ReplyBody EMPTY = new ReplyBody.Empty();

    private boolean newGeneration;

    /** chronyc's request_reply: retries over the remaining addresses, prints status lines. */
    private CandmCodec.Reply requestReply(Command command, int expectedReply, boolean verbose) {
        CandmCodec.Reply reply = null;
        while (true) {
            if (client != null) {
                try {
                    client.setNewGeneration(newGeneration);
                    reply = client.request(command);
                } catch (IOException e) {
                    reply = null;
                }
            }
            if (reply != null) {
                Command newer = newerForm(command);
                if (!newGeneration && newer != null && (reply.status() == Status.INVALID.code()
                        || reply.status() == Status.BAD_PKT_LENGTH.code())) {
                    // a chronyd 4.4+ that no longer takes chronyc 4.3's form: use the newer one
                    newGeneration = true;
                    command = newer;
                    reply = null;
                    continue;
                }
                break;
            }
            if (openIo()) continue;
            statusLine("506 Cannot talk to daemon");
            return null;
        }
        int status = reply.status();
        if (verbose || status != Status.SUCCESS.code()) statusLine(Status.textOf(status));
        if (status != Status.SUCCESS.code() && status != Status.ACCESS_ALLOWED.code()
                && status != Status.ACCESS_DENIED.code()) {
            return null;
        }
        if (reply.replyCode() != expectedReply
                && !(expectedReply == RPY_SERVER_STATS3 && reply.replyCode() == RPY_SERVER_STATS4)
                && !(expectedReply == RPY_NTP_DATA && reply.replyCode() == RPY_NTP_DATA2)) {
            statusLine("508 Bad reply from daemon");
            return null;
        }
        return reply;
    }

    /** A chronyc status line ("200 OK", "503 No such source"...); with -j a {"type":"status"} object. */
    private void statusLine(String text) {
        if (json != null) {
            json.addValue("status", text);
            out.print(json.take());
        } else {
            out.print(text + "\n");
        }
    }

    /** The chronyc 4.4+ form of a request whose 4.3 form newer daemons reject, or null. */
    private static Command newerForm(Command c) {
        return switch (c) {
            case Command.NoData n when n.code() == REQ_SERVER_STATS -> c;
            case Command.Address a when a.code() == REQ_NTP_DATA -> c;
            case Command.Local l when l.code() == REQ_LOCAL2 -> new Command.Local(REQ_LOCAL3, l.on(), l.stratum(),
                    l.distanceSeconds(), l.orphan(), 0.0, 0.0, l.orphan() ? 300.0 : 0.0);
            default -> null;
        };
    }

    // ------------------------------------------------------------------ lines

    /** Runs command-line words: one command (all words) or, with multi, one per word. */
    public boolean runArgs(List<String> words, boolean multi) {
        boolean ret = false;
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            line.append(words.get(i)).append(' ');
            if (!multi && i + 1 < words.size()) continue;
            ret = processLine(line.toString());
            if (!ret || quit) break;
            line.setLength(0);
        }
        return ret;
    }

    /** The interactive loop: a "chronyc> " prompt (on a terminal) and one command per line. */
    public boolean runInteractive(BufferedReader in, boolean prompt) throws IOException {
        boolean ret = true;
        while (!quit) {
            if (prompt) {
                out.print("chronyc> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                if (prompt) out.print("\n");
                break;
            }
            ret = processLine(line);
        }
        return ret;
    }

    static String normalize(String line) {
        StringBuilder q = new StringBuilder();
        boolean space = true;
        boolean first = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (!space) q.append(' ');
                space = true;
                continue;
            }
            if (first && "!;#%".indexOf(c) >= 0) break;
            q.append(c);
            space = false;
            first = false;
        }
        if (q.length() > 0 && q.charAt(q.length() - 1) == ' ') q.setLength(q.length() - 1);
        return q.toString();
    }

    /** Processes one command line; returns chronyc's success flag. */
    public boolean processLine(String rawLine) {
        String line = normalize(rawLine);
        if (line.isEmpty()) return true;
        int sp = line.indexOf(' ');
        String command = sp < 0 ? line : line.substring(0, sp);
        String args = sp < 0 ? "" : line.substring(sp + 1);
        ReportPrinter pr = new ReportPrinter(json != null ? null : out, options.csv());
        Command submit = null;
        boolean ret = false;
        try {
            switch (command) {
                case "accheck", "cmdaccheck" -> {
                    IpAddr ip = resolve(args);
                    if (ip == null) error("Could not read address");
                    else submit = new Command.Address(command.equals("accheck") ? REQ_ACCHECK : REQ_CMDACCHECK, ip);
                }
                case "activity" -> ret = activity(pr);
                case "add" -> submit = addSource(args);
                case "allow" -> submit = allowDeny(args, REQ_ALLOW, REQ_ALLOWALL);
                case "deny" -> submit = allowDeny(args, REQ_DENY, REQ_DENYALL);
                case "cmdallow" -> submit = allowDeny(args, REQ_CMDALLOW, REQ_CMDALLOWALL);
                case "cmddeny" -> submit = allowDeny(args, REQ_CMDDENY, REQ_CMDDENYALL);
                case "authdata" -> ret = authdata(pr, args);
                case "burst" -> submit = burst(args);
                case "clients" -> ret = clients(pr, args);
                case "cyclelogs" -> submit = new Command.NoData(REQ_CYCLELOGS);
                case "delete" -> {
                    String host = firstWord(args);
                    if (host.isEmpty()) {
                        error("Invalid syntax for address");
                    } else {
                        IpAddr ip = parseSourceAddress(host);
                        if (ip == null) error("Could not get address for hostname");
                        else submit = new Command.Address(REQ_DEL_SOURCE, ip);
                    }
                }
                case "dfreq", "doffset" -> {
                    Double v = scanDouble(args);
                    if (v == null) error("Invalid value");
                    else submit = new Command.FloatArg(command.equals("dfreq") ? REQ_DFREQ : REQ_DOFFSET2, v);
                }
                case "dns" -> ret = dns(args);
                case "dump" -> submit = new Command.IntArg(REQ_DUMP, 0);
                case "exit", "quit" -> {
                    quit = true;
                    ret = true;
                }
                case "help" -> {
                    out.print(Help.TEXT);
                    ret = true;
                }
                case "keygen" -> ret = keygen(args);
                case "local" -> submit = local(args);
                case "makestep" -> {
                    if (args.isEmpty()) {
                        submit = new Command.NoData(REQ_MAKESTEP);
                    } else {
                        String[] w = args.split(" ");
                        Double t = scanDouble(w[0]);
                        Integer l = w.length > 1 ? scanInt(w[1]) : null;
                        if (t == null || l == null) error("Bad syntax for makestep command");
                        else submit = new Command.ModifyMakestep(l, t);
                    }
                }
                case "manual" -> {
                    if (args.startsWith("list")) {
                        ret = manualList(pr);
                    } else if (args.startsWith("delete")) {
                        Integer idx = scanInt(restAfterWord(args));
                        if (idx == null) error("Bad syntax for manual delete command");
                        else submit = new Command.IntArg(REQ_MANUAL_DELETE, idx);
                    } else {
                        int opt = switch (args) {
                            case "off" -> 0;
                            case "on" -> 1;
                            case "reset" -> 2;
                            default -> -1;
                        };
                        if (opt < 0) error("Invalid syntax for manual command");
                        else submit = new Command.IntArg(REQ_MANUAL, opt);
                    }
                }
                case "maxdelay" -> submit = addressDouble(args, REQ_MODIFY_MAXDELAY);
                case "maxdelaydevratio" -> submit = addressDouble(args, REQ_MODIFY_MAXDELAYDEVRATIO);
                case "maxdelayratio" -> submit = addressDouble(args, REQ_MODIFY_MAXDELAYRATIO);
                case "maxpoll" -> submit = addressInt(args, REQ_MODIFY_MAXPOLL);
                case "minpoll" -> submit = addressInt(args, REQ_MODIFY_MINPOLL);
                case "minstratum" -> submit = addressInt(args, REQ_MODIFY_MINSTRATUM);
                case "polltarget" -> submit = addressInt(args, REQ_MODIFY_POLLTARGET);
                case "maxupdateskew" -> {
                    Double v = scanDouble(args);
                    if (v != null) submit = new Command.FloatArg(REQ_MODIFY_MAXUPDATESKEW, v);
                }
                case "ntpdata" -> ret = ntpdata(pr, args);
                case "offline", "online" -> {
                    IpAddr[] ma = readMaskAddress(args);
                    if (ma != null) submit = new Command.Connectivity(command.equals("online") ? REQ_ONLINE : REQ_OFFLINE, ma[0], ma[1]);
                }
                case "onoffline" -> submit = new Command.NoData(REQ_ONOFFLINE);
                case "refresh" -> submit = new Command.NoData(REQ_REFRESH);
                case "rekey" -> submit = new Command.NoData(REQ_REKEY);
                case "reload", "reset" -> {
                    if (args.equals("sources")) {
                        submit = new Command.NoData(command.equals("reload") ? REQ_RELOAD_SOURCES : REQ_RESET_SOURCES);
                    } else {
                        error("Invalid syntax for " + command + " command");
                    }
                }
                case "reselect" -> submit = new Command.NoData(REQ_RESELECT);
                case "selectopts" -> submit = selectopts(args);
                case "offset" -> {
                    IpAddr[] ip = new IpAddr[1];
                    int[] refId = new int[1];
                    Double v = scanDouble(restAfterWord(args));
                    if (!addressOrRefid(firstWord(args), ip, refId) || v == null) {
                        error("Invalid syntax for offset command");
                    } else {
                        submit = new Command.ModifyOffset(ip[0], refId[0], v);
                    }
                }
                case "reselectdist" -> {
                    Double v = scanDouble(args);
                    if (v != null) submit = new Command.FloatArg(REQ_RESELECTDISTANCE, v);
                }
                case "retries" -> {
                    int r = atoi(args);
                    if (r < 0 || r > 30) {
                        error("Invalid maximum number of retries");
                    } else {
                        retries = r;
                        if (client != null) client.setMaxRetries(r);
                        ret = true;
                    }
                }
                case "rtcdata" -> ret = rtcdata(pr);
                case "selectdata" -> ret = selectdata(pr, args);
                case "serverstats" -> ret = serverstats(pr);
                case "settime" -> ret = settime(args);
                case "shutdown" -> submit = new Command.NoData(REQ_SHUTDOWN);
                case "smoothing" -> ret = smoothing(pr);
                case "smoothtime" -> {
                    if (args.equals("reset")) submit = new Command.IntArg(REQ_SMOOTHTIME, 0);
                    else if (args.equals("activate")) submit = new Command.IntArg(REQ_SMOOTHTIME, 1);
                    else error("Invalid syntax for smoothtime command");
                }
                case "sourcename" -> ret = sourcename(pr, args);
                case "sources" -> ret = sources(pr, args);
                case "sourcestats" -> ret = sourcestats(pr, args);
                case "timeout" -> {
                    int t = atoi(args);
                    if (t < 100) {
                        error("Timeout " + t + " is too short");
                    } else {
                        timeoutMillis = t;
                        if (client != null) client.setInitialTimeoutMillis(t);
                        ret = true;
                    }
                }
                case "tracking" -> ret = tracking(pr);
                case "trimrtc" -> submit = new Command.NoData(REQ_TRIMRTC);
                case "waitsync" -> ret = waitsync(pr, args);
                case "writertc" -> submit = new Command.NoData(REQ_WRITERTC);
                case "authhash", "password" -> {
                    error("Authentication is no longer supported");
                    ret = true;
                }
                default -> error("Unrecognized command");
            }
        } finally {
            if (json != null && !json.isEmpty()) out.print(json.take());
        }
        if (submit != null) {
            ret = requestReply(submit, RPY_NULL, true) != null;
        }
        if (options.endDot()) out.print(".\n");
        out.flush();
        return ret;
    }

    private void error(String message) {
        out.flush();
        err.print(message + "\n");
        err.flush();
    }

    // ------------------------------------------------------------------ argument parsing as chronyc's sscanf

    static String firstWord(String s) {
        s = s.strip();
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    static String restAfterWord(String s) {
        s = s.strip();
        int sp = s.indexOf(' ');
        return sp < 0 ? "" : s.substring(sp + 1).strip();
    }

    /** sscanf("%d"): leading integer of the text, trailing characters ignored; null if none. */
    static Integer scanInt(String s) {
        Long v = scanLong(s);
        return v == null ? null : (int) (long) v;
    }

    static Long scanLong(String s) {
        s = s.stripLeading();
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int ds = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i == ds) return null;
        try {
            return Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            return s.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** sscanf("%lf"): leading floating-point number; null if none. */
    static Double scanDouble(String s) {
        s = s.stripLeading();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?|inf(inity)?|nan)",
                        java.util.regex.Pattern.CASE_INSENSITIVE).matcher(s);
        if (!m.find()) return null;
        String t = m.group().toLowerCase(Locale.ROOT);
        if (t.contains("inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (t.contains("nan")) return Double.NaN;
        return Double.parseDouble(t);
    }

    static int atoi(String s) {
        Integer v = scanInt(s);
        return v == null ? 0 : v;
    }

    /** UTI_StringToIdIP, then a DNS lookup in the chosen family. */
    IpAddr parseSourceAddress(String word) {
        IpAddr ip = IpAddr.parse(word);
        if (ip != null) return ip;
        return resolve(word);
    }

    IpAddr resolve(String name) {
        if (name.isEmpty()) return null;
        IpAddr ip = IpAddr.parse(name);
        if (ip != null && ip.family() != IpAddr.ID) return ip;
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                if (familyOk(a, dnsFamily)) return IpAddr.of(a);
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    static IpAddr bitsToMask(int bits, int family) {
        if (family == IpAddr.INET4) {
            if (bits > 32 || bits < 0) bits = 32;
            return IpAddr.inet4(bits > 0 ? (int) (0xffffffffL << (32 - bits)) : 0);
        }
        if (family == IpAddr.INET6) {
            if (bits > 128 || bits < 0) bits = 128;
            byte[] m = new byte[16];
            int i;
            for (i = 0; i < bits / 8; i++) m[i] = (byte) 0xff;
            if (i < 16) m[i] = (byte) ((0xff << (8 - bits % 8)) & 0xff);
            return IpAddr.inet6(m);
        }
        return IpAddr.UNSPECIFIED;
    }

    /** chronyc's read_mask_address: [mask/address | address/bits | address]; returns {mask, address}. */
    private IpAddr[] readMaskAddress(String line) {
        if (line.isEmpty()) return new IpAddr[] {IpAddr.UNSPECIFIED, IpAddr.UNSPECIFIED};
        int slash = line.indexOf('/');
        if (slash >= 0) {
            IpAddr mask = IpAddr.parse(line.substring(0, slash));
            String rest = line.substring(slash + 1);
            if (mask != null && mask.family() != IpAddr.ID) {
                IpAddr address = IpAddr.parse(rest);
                if (address != null && address.family() != IpAddr.ID) {
                    if (address.family() == mask.family()) return new IpAddr[] {mask, address};
                } else {
                    Long bits = scanLong(rest);
                    if (bits != null && bits >= 0) {
                        return new IpAddr[] {bitsToMask((int) Math.min(bits, Integer.MAX_VALUE), mask.family()), mask};
                    }
                }
            }
        } else {
            IpAddr address = parseSourceAddress(line);
            if (address != null) return new IpAddr[] {bitsToMask(-1, address.family()), address};
            error("Could not get address for hostname");
            return null;
        }
        error("Invalid syntax for mask/address");
        return null;
    }

    private Command addressInt(String line, int code) {
        String host = firstWord(line);
        Integer v = scanInt(restAfterWord(line));
        if (v == null) {
            error("Invalid syntax for address value");
            return null;
        }
        IpAddr ip = parseSourceAddress(host);
        if (ip == null) {
            error("Could not get address for hostname");
            return null;
        }
        return new Command.AddressInt(code, ip, v);
    }

    private Command addressDouble(String line, int code) {
        String host = firstWord(line);
        Double v = scanDouble(restAfterWord(line));
        if (v == null) {
            error("Invalid syntax for address value");
            return null;
        }
        IpAddr ip = parseSourceAddress(host);
        if (ip == null) {
            error("Could not get address for hostname");
            return null;
        }
        return new Command.AddressFloat(code, ip, v);
    }

    /** chronyc 4.7+'s source selector: an IP address or a reference ID of up to 4 characters. */
    static boolean addressOrRefid(String s, IpAddr[] ip, int[] refId) {
        ip[0] = IpAddr.UNSPECIFIED;
        refId[0] = 0;
        IpAddr a = IpAddr.parse(s);
        if (a != null) {
            ip[0] = a;
            return true;
        }
        if (s.isEmpty() || s.length() > 4) return false;
        int r = 0;
        for (int i = 0; i < s.length(); i++) r |= (s.charAt(i) & 0xff) << (24 - 8 * i);
        refId[0] = r;
        return true;
    }

    private Command selectopts(String line) {
        IpAddr[] ip = new IpAddr[1];
        int[] refId = new int[1];
        if (!addressOrRefid(firstWord(line), ip, refId)) {
            error("Invalid syntax for selectopts command");
            return null;
        }
        int mask = 0;
        int flags = 0;
        String rest = restAfterWord(line);
        for (String opt : rest.isEmpty() ? new String[0] : rest.split(" ")) {
            int bit = switch (opt.length() > 1 ? opt.substring(1).toLowerCase(Locale.ROOT) : "") {
                case "noselect" -> 1;
                case "prefer" -> 2;
                case "trust" -> 4;
                case "require" -> 8;
                default -> 0;
            };
            if ((opt.charAt(0) != '+' && opt.charAt(0) != '-') || bit == 0) {
                error("Invalid syntax for selectopts command");
                return null;
            }
            mask |= bit;
            if (opt.charAt(0) == '+') {
                flags |= switch (bit) {
                    case 1 -> Command.AddSource.FLAG_NOSELECT;
                    case 2 -> Command.AddSource.FLAG_PREFER;
                    case 4 -> Command.AddSource.FLAG_TRUST;
                    default -> Command.AddSource.FLAG_REQUIRE;
                };
            }
        }
        return new Command.ModifySelectOpts(ip[0], refId[0], mask, flags);
    }

    private Command burst(String line) {
        String s1 = firstWord(line);
        String s2 = firstWord(restAfterWord(line));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([+-]?\\d+)/\\s*([+-]?\\d+)").matcher(s1);
        if (!m.find()) {
            error("Invalid syntax for burst command");
            return null;
        }
        IpAddr[] ma = {IpAddr.UNSPECIFIED, IpAddr.UNSPECIFIED};
        if (!s2.isEmpty()) {
            ma = readMaskAddress(s2);
            if (ma == null) return null;
        }
        return new Command.Burst(ma[0], ma[1], Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private Command local(String line) {
        if (line.equals("off")) return new Command.Local(REQ_LOCAL2, false, 0, 0.0, false, 0, 0, 0);
        int stratum = 10;
        double distance = 1.0;
        boolean orphan = false;
        double activate = 0.0;
        double waitSynced = 0.0;
        double waitUnsynced = -1.0;
        boolean newOptions = false;
        String[] w = line.isEmpty() ? new String[0] : line.split(" ");
        for (int i = 0; i < w.length; i++) {
            String cmd = w[i].toLowerCase(Locale.ROOT);
            switch (cmd) {
                case "stratum" -> {
                    Integer s = i + 1 < w.length ? scanInt(w[i + 1]) : null;
                    if (s == null || s >= 16 || s <= 0) return localError();
                    stratum = s;
                    i++;
                }
                case "orphan" -> orphan = true;
                case "distance", "activate", "waitsynced", "waitunsynced" -> {
                    Double d = i + 1 < w.length ? scanDouble(w[i + 1]) : null;
                    if (d == null) return localError();
                    switch (cmd) {
                        case "distance" -> distance = d;
                        case "activate" -> activate = d;
                        case "waitsynced" -> waitSynced = d;
                        default -> waitUnsynced = d;
                    }
                    newOptions |= !cmd.equals("distance");
                    i++;
                }
                default -> {
                    return localError();
                }
            }
        }
        if (waitUnsynced < 0.0) waitUnsynced = orphan ? 300.0 : 0.0;
        // chronyc 4.3's LOCAL2 unless a 4.7+ option needs LOCAL3
        return new Command.Local(newOptions ? REQ_LOCAL3 : REQ_LOCAL2, true, stratum, distance, orphan, activate,
                waitSynced, waitUnsynced);
    }

    private Command localError() {
        error("Invalid syntax for local command");
        return null;
    }

    private Command allowDeny(String line, int code, int allCode) {
        String first = firstWord(line);
        String rest = restAfterWord(line);
        boolean all = first.equals("all");
        String net = all ? firstWord(rest) : first;
        String extra = all ? restAfterWord(rest) : rest;
        IpAddr ip = null;
        int bits = 0;
        boolean ok = extra.isEmpty();
        if (ok) {
            if (net.isEmpty()) {
                ip = IpAddr.UNSPECIFIED;
                bits = 0;
            } else {
                int slash = net.indexOf('/');
                int b = -1;
                String host = net;
                if (slash >= 0) {
                    String bs = net.substring(slash + 1);
                    if (!bs.matches("[+-]?\\d+") || Long.parseLong(bs) < 0) {
                        ok = false;
                    } else {
                        b = (int) Math.min(Long.parseLong(bs), Integer.MAX_VALUE);
                    }
                    host = net.substring(0, slash);
                }
                if (ok) {
                    IpAddr parsed = IpAddr.parse(host);
                    if (parsed != null && parsed.family() != IpAddr.ID) {
                        ip = parsed;
                        bits = b >= 0 ? b : parsed.family() == IpAddr.INET6 ? 128 : 32;
                    } else if (host.matches("\\d+(\\.\\d+){0,2}")) {
                        String[] parts = host.split("\\.");
                        long v = 0;
                        for (int i = 0; i < 3; i++) {
                            long x = i < parts.length ? Long.parseLong(parts[i]) : 0;
                            if (x > 255) ok = false;
                            v = v << 8 | (x & 0xff);
                        }
                        ip = IpAddr.inet4((int) (v << 8));
                        bits = b >= 0 ? b : parts.length * 8;
                    } else if (b < 0) {
                        ip = resolve(host);
                        if (ip == null) ok = false;
                        else bits = ip.family() == IpAddr.INET6 ? 128 : 32;
                    } else {
                        ok = false;
                    }
                }
            }
        }
        if (!ok || ip == null) {
            error("Could not read address");
            return null;
        }
        return new Command.AllowDeny(all ? allCode : code, ip, bits);
    }

    private Command addSource(String line) {
        String word = firstWord(line);
        String rest = restAfterWord(line);
        int type = switch (word.toLowerCase(Locale.ROOT)) {
            case "server" -> Command.AddSource.SERVER;
            case "peer" -> Command.AddSource.PEER;
            case "pool" -> Command.AddSource.POOL;
            default -> 0;
        };
        if (type == 0) {
            error("Invalid syntax for add command");
            return null;
        }
        SourceOptions o = SourceOptions.parse(rest);
        if (o == null) {
            error("Invalid syntax for add command");
            return null;
        }
        if (o.name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 256 || resolve(o.name) == null) {
            error("Invalid host/IP address");
            return null;
        }
        return o.toRequest(type);
    }

    private boolean dns(String line) {
        switch (line) {
            case "-46" -> dnsFamily = Options.ANY;
            case "-4" -> dnsFamily = Options.INET4;
            case "-6" -> dnsFamily = Options.INET6;
            case "-n" -> noDns = true;
            case "+n" -> noDns = false;
            default -> {
                error("Unrecognized dns command");
                return false;
            }
        }
        return true;
    }

    private boolean keygen(String line) {
        String[] w = line.isEmpty() ? new String[0] : line.split(" ");
        if (w.length > 3) {
            error("Invalid syntax for keygen command");
            return false;
        }
        long id = 1;
        long bits = 160;
        String type = w.length >= 2 ? w[1] : "SHA1";
        try {
            if (w.length >= 1) id = Long.parseUnsignedLong(w[0]);
            if (w.length >= 3) bits = Long.parseUnsignedLong(w[2]);
        } catch (NumberFormatException e) {
            error("Invalid syntax for keygen command");
            return false;
        }
        String t = type.toUpperCase(Locale.ROOT);
        int length;
        if (List.of("MD5", "SHA1", "SHA256", "SHA384", "SHA512", "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512",
                "TIGER", "WHIRLPOOL", "RMD128", "RMD160", "RMD256", "RMD320").contains(t)) {
            length = (int) ((bits + 7) / 8);
        } else if (t.equals("AES128")) {
            length = 16;
        } else if (t.equals("AES256")) {
            length = 32;
        } else {
            error("Unknown hash function or cipher " + type);
            return false;
        }
        length = Math.max(10, Math.min(length, 512));
        byte[] key = new byte[length];
        new SecureRandom().nextBytes(key);
        out.print(id + " " + type + " HEX:" + HexFormat.of().withUpperCase().formatHex(key) + "\n");
        return true;
    }

    // ------------------------------------------------------------------ names

    /** chronyc's format_name. */
    private String formatName(int truncDns, boolean ref, int refId, boolean source, IpAddr ip) {
        if (ref) return refidToString(refId);
        if (source && options.sourceNames()) {
            String n = sourceName(ip);
            return n == null ? "?" : n;
        }
        if (noDns || options.csv()) return ip.toString();
        String name = ip.toString();
        InetAddress a = ip.toInetAddress();
        if (a != null) {
            String h = a.getCanonicalHostName();
            if (h != null && !h.isEmpty() && !h.equals(a.getHostAddress())) name = h;
        }
        if (truncDns > 0 && name.length() > truncDns) name = name.substring(0, truncDns - 1) + ">";
        return name;
    }

    static String refidToString(int refId) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int c = (refId >>> (24 - 8 * i)) & 0xff;
            if (c >= 0x20 && c < 0x7f) sb.append((char) c);
        }
        return sb.toString();
    }

    private String sourceName(IpAddr ip) {
        CandmCodec.Reply r = requestReply(new Command.Address(REQ_NTP_SOURCE_NAME, ip), RPY_NTP_SOURCE_NAME, false);
        if (r == null || !(r.body() instanceof ReplyBody.SourceName n)) return null;
        String name = n.name();
        if (name.length() >= 256) return null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return null;
        }
        return name;
    }

    // ------------------------------------------------------------------ reports

    private boolean[] sourcesOptions(String line) {
        boolean all = false;
        boolean verbose = false;
        for (String opt : line.isEmpty() ? new String[0] : line.split(" ")) {
            if (opt.equals("-a")) all = true;
            else if (opt.equals("-v")) verbose = !options.csv();
        }
        return new boolean[] {all, verbose};
    }

    private Long nSources() {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_N_SOURCES), RPY_N_SOURCES, false);
        return r == null ? null : ((ReplyBody.NSources) r.body()).count();
    }

    private boolean sources(ReportPrinter pr, String line) {
        boolean[] o = sourcesOptions(line);
        Long n = nSources();
        if (n == null) return false;
        if (o[1]) pr.info(Help.SOURCES_LEGEND);
        pr.header("MS Name/IP address         Stratum Poll Reach LastRx Last sample               ");
        for (int i = 0; i < n; i++) {
            CandmCodec.Reply r = requestReply(new Command.IntArg(REQ_SOURCE_DATA, i), RPY_SOURCE_DATA, false);
            if (r == null) return false;
            var s = ((ReplyBody.Source) r.body()).report();
            if (!o[0] && s.address().family() == IpAddr.ID) continue;
            if (json != null) json.add("source", s);
            String name = formatName(25, s.mode() == 2 && s.address().family() == IpAddr.INET4, s.address().inet4(), true,
                    s.address());
            char mode = switch (s.mode()) {
                case 0 -> '^';
                case 1 -> '=';
                case 2 -> '#';
                default -> ' ';
            };
            char state = switch (s.state()) {
                case 0 -> '*';
                case 1 -> '?';
                case 2 -> 'x';
                case 3 -> '~';
                case 4 -> '+';
                case 5 -> '-';
                default -> ' ';
            };
            pr.print("%c%c %-27s  %2d  %2d   %3o  %I  %+S[%+S] +/- %S\n", mode, state, name, s.stratum(),
                    (int) (short) s.pollLog2(), s.reachability(), s.sinceSampleSeconds(), s.latestMeasSeconds(),
                    s.origLatestMeasSeconds(), s.latestMeasErrSeconds());
        }
        return true;
    }

    private boolean sourcestats(ReportPrinter pr, String line) {
        boolean[] o = sourcesOptions(line);
        Long n = nSources();
        if (n == null) return false;
        if (o[1]) pr.info(Help.SOURCESTATS_LEGEND);
        pr.header("Name/IP Address            NP  NR  Span  Frequency  Freq Skew  Offset  Std Dev");
        for (int i = 0; i < n; i++) {
            CandmCodec.Reply r = requestReply(new Command.IntArg(REQ_SOURCESTATS, i), RPY_SOURCESTATS, false);
            if (r == null) return false;
            var s = ((ReplyBody.SourceStats) r.body()).report();
            if (!o[0] && s.address().family() == IpAddr.ID) continue;
            if (json != null) json.add("sourcestats", s);
            String name = formatName(25, s.address().family() == IpAddr.UNSPEC, s.refId(), true, s.address());
            pr.print("%-25s %3U %3U  %I %+P %P  %+S  %S\n", name, s.samples(), s.runs(), s.spanSeconds(),
                    s.residFreqPpm(), s.skewPpm(), s.estOffsetSeconds(), s.sdSeconds());
        }
        return true;
    }

    private boolean tracking(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_TRACKING), RPY_TRACKING, false);
        if (r == null) return false;
        var t = ((ReplyBody.Tracking) r.body()).report();
        if (json != null) json.add("tracking", t);
        String name = formatName(256, t.address().family() == IpAddr.UNSPEC, t.refId(), true, t.address());
        pr.print("Reference ID    : %R (%s)\n"
                + "Stratum         : %u\n"
                + "Ref time (UTC)  : %T\n"
                + "System time     : %.9O of NTP time\n"
                + "Last offset     : %+.9f seconds\n"
                + "RMS offset      : %.9f seconds\n"
                + "Frequency       : %.3F\n"
                + "Residual freq   : %+.3f ppm\n"
                + "Skew            : %.3f ppm\n"
                + "Root delay      : %.9f seconds\n"
                + "Root dispersion : %.9f seconds\n"
                + "Update interval : %.1f seconds\n"
                + "Leap status     : %L\n",
                t.refId() & 0xffffffffL, name, t.stratum(), t.refTime(), t.currentCorrectionSeconds(),
                t.lastOffsetSeconds(), t.rmsOffsetSeconds(), t.freqPpm(), t.residFreqPpm(), t.skewPpm(),
                t.rootDelaySeconds(), t.rootDispersionSeconds(), t.lastUpdateIntervalSeconds(), t.leapStatus());
        return true;
    }

    private boolean authdata(ReportPrinter pr, String line) {
        boolean[] o = sourcesOptions(line);
        Long n = nSources();
        if (n == null) return false;
        if (o[1]) pr.info(Help.AUTHDATA_LEGEND);
        pr.header("Name/IP address             Mode KeyID Type KLen Last Atmp  NAK Cook CLen");
        for (int i = 0; i < n; i++) {
            CandmCodec.Reply r = requestReply(new Command.IntArg(REQ_SOURCE_DATA, i), RPY_SOURCE_DATA, false);
            if (r == null) return false;
            var s = ((ReplyBody.Source) r.body()).report();
            if (s.mode() != 0 && s.mode() != 1) continue;
            if (!o[0] && s.address().family() == IpAddr.ID) continue;
            CandmCodec.Reply ar = requestReply(new Command.Address(REQ_AUTH_DATA, s.address()), RPY_AUTH_DATA, false);
            if (ar == null) return false;
            var a = ((ReplyBody.AuthData) ar.body()).report();
            if (json != null) json.add("authdata", a, "address", s.address().toString());
            String name = formatName(25, false, 0, true, s.address());
            String mode = switch (a.mode()) {
                case 0 -> "-";
                case 1 -> "SK";
                case 2 -> "NTS";
                default -> "?";
            };
            pr.print("%-27s %4s %5U %4d %4d %I %4d %4d %4d %4d\n", name, mode, a.keyId(), a.keyType(),
                    a.keyLengthBits(), a.lastKeAgoSeconds(), a.keAttempts(), a.nak(), a.cookies(), a.cookieLength());
        }
        return true;
    }

    private boolean ntpdata(ReportPrinter pr, String line) {
        boolean specified = !line.isEmpty();
        long n = 1;
        if (!specified) {
            Long c = nSources();
            if (c == null) return false;
            n = c;
        }
        for (int i = 0; i < n; i++) {
            IpAddr remote;
            if (specified) {
                remote = parseSourceAddress(line);
                if (remote == null) {
                    error("Could not get address for hostname");
                    return false;
                }
            } else {
                CandmCodec.Reply r = requestReply(new Command.IntArg(REQ_SOURCE_DATA, i), RPY_SOURCE_DATA, false);
                if (r == null) return false;
                var s = ((ReplyBody.Source) r.body()).report();
                if (s.mode() != 0 && s.mode() != 1) continue;
                remote = s.address();
                if (remote.family() != IpAddr.INET4 && remote.family() != IpAddr.INET6) continue;
            }
            CandmCodec.Reply r = requestReply(new Command.Address(REQ_NTP_DATA, remote), RPY_NTP_DATA, false);
            if (r == null) return false;
            var d = ((ReplyBody.NtpData) r.body()).report();
            if (json != null) json.add("ntpdata", d);
            if (!specified) pr.info("\n");
            boolean newForm = ((ReplyBody.NtpData) r.body()).newForm();
            int flags = d.flags();
            pr.print("Remote address  : %s (%R)\n"
                    + "Remote port     : %u\n"
                    + "Local address   : %s (%R)\n"
                    + "Leap status     : %L\n"
                    + "Version         : %u\n"
                    + "Mode            : %M\n"
                    + "Stratum         : %u\n"
                    + "Poll interval   : %d (%.0f seconds)\n"
                    + "Precision       : %d (%.9f seconds)\n"
                    + "Root delay      : %.6f seconds\n"
                    + "Root dispersion : %.6f seconds\n"
                    + "Reference ID    : %R (%s)\n"
                    + "Reference time  : %T\n"
                    + "Offset          : %+.9f seconds\n"
                    + "Peer delay      : %.9f seconds\n"
                    + "Peer dispersion : %.9f seconds\n"
                    + "Response time   : %.9f seconds\n"
                    + "Jitter asymmetry: %+.2f\n"
                    + "NTP tests       : %.3b %.3b %.4b\n"
                    + "Interleaved     : %B\n"
                    + "Authenticated   : %B\n"
                    + "TX timestamping : %N\n"
                    + "RX timestamping : %N\n"
                    + "Total TX        : %U\n"
                    + "Total RX        : %U\n"
                    + "Total valid RX  : %U\n"
                    + "Total good RX   : %U\n"
                    + (newForm ? "Total kernel TX : %U\nTotal kernel RX : %U\nTotal HW TX     : %U\nTotal HW RX     : %U\n" : ""),
                    d.remoteAddress().toString(), ipToRefid(d.remoteAddress()) & 0xffffffffL, d.remotePort(),
                    d.localAddress().toString(), ipToRefid(d.localAddress()) & 0xffffffffL, d.leap(), d.version(),
                    d.mode(), d.stratum(), d.pollLog2(), Math.pow(2, d.pollLog2()), d.precisionLog2(),
                    Math.pow(2, d.precisionLog2()), d.rootDelaySeconds(), d.rootDispersionSeconds(),
                    d.refId() & 0xffffffffL, d.stratum() <= 1 ? refidToString(d.refId()) : "", d.refTime(),
                    d.offsetSeconds(), d.peerDelaySeconds(), d.peerDispersionSeconds(), d.responseTimeSeconds(),
                    d.jitterAsymmetry(), flags >> 7, flags >> 4, flags, flags & 0x4000, flags & 0x8000,
                    d.txTssChar(), d.rxTssChar(), d.totalTxCount(), d.totalRxCount(), d.totalValidCount(),
                    d.totalGoodCount(), d.totalKernelTxTs(), d.totalKernelRxTs(), d.totalHwTxTs(), d.totalHwRxTs());
        }
        return true;
    }

    /** chronyd's UTI_IPToRefid: IPv4 address, or the first 4 bytes of the MD5 of an IPv6 address. */
    static int ipToRefid(IpAddr ip) {
        if (ip.family() == IpAddr.INET4) return ip.inet4();
        if (ip.family() == IpAddr.INET6) {
            try {
                byte[] h = java.security.MessageDigest.getInstance("MD5").digest(ip.bytes());
                return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
            } catch (java.security.NoSuchAlgorithmException e) {
                return 0;
            }
        }
        return 0;
    }

    private boolean selectdata(ReportPrinter pr, String line) {
        boolean[] o = sourcesOptions(line);
        Long n = nSources();
        if (n == null) return false;
        if (o[1]) pr.info(Help.SELECTDATA_LEGEND);
        pr.header("S Name/IP Address        Auth COpts EOpts Last Score     Interval  Leap");
        for (int i = 0; i < n; i++) {
            CandmCodec.Reply r = requestReply(new Command.IntArg(REQ_SELECT_DATA, i), RPY_SELECT_DATA, false);
            if (r == null) return false;
            var s = ((ReplyBody.SelectData) r.body()).report();
            if (!o[0] && s.address().family() == IpAddr.ID) continue;
            if (json != null) json.add("selectdata", s);
            String name = formatName(25, s.address().family() == IpAddr.UNSPEC, s.refId(), true, s.address());
            int c = s.confOptions();
            int e = s.effOptions();
            pr.print("%c %-25s %c %c%c%c%c%c %c%c%c%c%c %I %5.1f %+S %+S  %1L\n", (char) s.stateChar(), name,
                    s.authenticated() ? 'Y' : 'N', (c & 1) != 0 ? 'N' : '-', (c & 2) != 0 ? 'P' : '-',
                    (c & 4) != 0 ? 'T' : '-', (c & 8) != 0 ? 'R' : '-', '-', (e & 1) != 0 ? 'N' : '-',
                    (e & 2) != 0 ? 'P' : '-', (e & 4) != 0 ? 'T' : '-', (e & 8) != 0 ? 'R' : '-', '-',
                    s.lastSampleAgoSeconds(), s.score(), s.loLimitSeconds(), s.hiLimitSeconds(), s.leap());
        }
        return true;
    }

    private boolean serverstats(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_SERVER_STATS), RPY_SERVER_STATS3, false);
        if (r == null) return false;
        var s = ((ReplyBody.ServerStats) r.body()).report();
        if (json != null) json.add("serverstats", s);
        String[] labels = {"NTP packets received       ", "NTP packets dropped        ", "Command packets received   ",
                "Command packets dropped    ", "Client log records dropped ", "NTS-KE connections accepted",
                "NTS-KE connections dropped ", "Authenticated NTP packets  ", "Interleaved NTP packets    ",
                "NTP timestamps held        ", "NTP timestamp span         ", "NTP daemon RX timestamps   ",
                "NTP daemon TX timestamps   ", "NTP kernel RX timestamps   ", "NTP kernel TX timestamps   ",
                "NTP hardware RX timestamps ", "NTP hardware TX timestamps "};
        Object[] values = {s.ntpHits(), s.ntpDrops(), s.cmdHits(), s.cmdDrops(), s.logDrops(), s.nkeHits(), s.nkeDrops(),
                s.ntpAuthHits(), s.ntpInterleavedHits(), s.ntpTimestamps(), s.ntpSpanSeconds(), s.ntpDaemonRxTimestamps(),
                s.ntpDaemonTxTimestamps(), s.ntpKernelRxTimestamps(), s.ntpKernelTxTimestamps(), s.ntpHwRxTimestamps(),
                s.ntpHwTxTimestamps()};
        int n = ((ReplyBody.ServerStats) r.body()).newForm() ? 17 : 11;
        StringBuilder format = new StringBuilder();
        for (int i = 0; i < n; i++) format.append(labels[i]).append(": %U\n");
        pr.print(format.toString(), Arrays.copyOf(values, n));
        return true;
    }

    private boolean smoothing(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_SMOOTHING), RPY_SMOOTHING, false);
        if (r == null) return false;
        var s = ((ReplyBody.Smoothing) r.body()).report();
        if (json != null) json.add("smoothing", s);
        pr.print("Active         : %B %s\n"
                + "Offset         : %+.9f seconds\n"
                + "Frequency      : %+.6f ppm\n"
                + "Wander         : %+.6f ppm per second\n"
                + "Last update    : %.1f seconds ago\n"
                + "Remaining time : %.1f seconds\n",
                s.active(), s.leapOnly() ? "(leap second only)" : "", s.offsetSeconds(), s.freqPpm(), s.wanderPpm(),
                s.lastUpdateAgoSeconds(), s.remainingTimeSeconds());
        return true;
    }

    private boolean rtcdata(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_RTCREPORT), RPY_RTC, false);
        if (r == null) return false;
        var s = ((ReplyBody.Rtc) r.body()).report();
        if (json != null) json.add("rtcdata", s);
        pr.print("RTC ref time (UTC) : %T\n"
                + "Number of samples  : %u\n"
                + "Number of runs     : %u\n"
                + "Sample span period : %I\n"
                + "RTC is fast by     : %12.6f seconds\n"
                + "RTC gains time at  : %9.3f ppm\n",
                s.refTime(), s.samples(), s.runs(), s.spanSeconds(), s.rtcSecondsFast(), s.rtcGainRatePpm());
        return true;
    }

    private boolean clients(ReportPrinter pr, String line) {
        long nextIndex = 0;
        long minHits = 0;
        boolean reset = false;
        boolean nke = false;
        String[] w = line.isEmpty() ? new String[0] : line.split(" ");
        for (int i = 0; i < w.length; i++) {
            switch (w[i]) {
                case "-k" -> nke = true;
                case "-p" -> {
                    Long v = i + 1 < w.length ? scanLong(w[i + 1]) : null;
                    i++;
                    if (v == null) {
                        error("Invalid syntax for clients command");
                        return false;
                    }
                    minHits = v;
                }
                case "-r" -> reset = true;
                default -> { }
            }
        }
        pr.header(String.format("Hostname                      NTP   Drop Int IntL Last  %6s   Drop Int  Last",
                nke ? "NTS-KE" : "Cmd"));
        while (true) {
            CandmCodec.Reply r = requestReply(new Command.ClientAccesses((int) nextIndex, MAX_CLIENT_ACCESSES,
                    (int) minHits, reset), RPY_CLIENT_ACCESSES_BY_INDEX3, false);
            if (r == null) return false;
            var page = ((ReplyBody.ClientAccesses) r.body()).page();
            for (var c : page.clients()) {
                if (c.address().family() == IpAddr.UNSPEC) continue;
                if (json != null) json.add("client", c);
                String name = formatName(25, false, 0, false, c.address());
                pr.print("%-25s  %6U  %5U  %C  %C  %I  %6U  %5U  %C  %I\n", name, c.ntpHits(), c.ntpDrops(),
                        c.ntpIntervalLog2(), c.ntpTimeoutIntervalLog2(), c.lastNtpHitAgoSeconds(),
                        nke ? c.nkeHits() : c.cmdHits(), nke ? c.nkeDrops() : c.cmdDrops(),
                        nke ? c.nkeIntervalLog2() : c.cmdIntervalLog2(),
                        nke ? c.lastNkeHitAgoSeconds() : c.lastCmdHitAgoSeconds());
            }
            nextIndex = page.nextIndex();
            if (nextIndex >= page.indices() || page.clients().size() < MAX_CLIENT_ACCESSES) break;
        }
        return true;
    }

    private boolean manualList(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_MANUAL_LIST), RPY_MANUAL_LIST2, false);
        if (r == null) return false;
        var samples = ((ReplyBody.ManualList) r.body()).samples();
        pr.info("210 n_samples = " + samples.size() + "\n");
        pr.header("#    Date     Time(UTC)    Slewed   Original   Residual");
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < samples.size(); i++) {
            var s = samples.get(i);
            if (json != null) json.add("manual", s);
            pr.print("%2d %s %10.2f %10.2f %10.2f\n", i, f.format(java.time.Instant.ofEpochSecond(s.when().epochSeconds())),
                    s.slewedOffsetSeconds(), s.origOffsetSeconds(), s.residualSeconds());
        }
        return true;
    }

    private boolean activity(ReportPrinter pr) {
        CandmCodec.Reply r = requestReply(new Command.NoData(REQ_ACTIVITY), RPY_ACTIVITY, false);
        if (r == null) return false;
        var a = ((ReplyBody.Activity) r.body()).report();
        if (json != null) json.add("activity", a);
        pr.info("200 OK\n");
        pr.print("%U sources online\n"
                + "%U sources offline\n"
                + "%U sources doing burst (return to online)\n"
                + "%U sources doing burst (return to offline)\n"
                + "%U sources with unknown address\n",
                a.online() & 0xffffffffL, a.offline() & 0xffffffffL, a.burstOnline() & 0xffffffffL,
                a.burstOffline() & 0xffffffffL, a.unresolved() & 0xffffffffL);
        return true;
    }

    private boolean sourcename(ReportPrinter pr, String line) {
        IpAddr ip = parseSourceAddress(line);
        if (ip == null) {
            error("Could not read address");
            return false;
        }
        String name = sourceName(ip);
        if (name == null) return false;
        if (json != null) json.addValue("sourcename", name);
        pr.print("%s\n", name);
        return true;
    }

    private boolean settime(String line) {
        Long t = DateParser.parse(line, java.time.ZonedDateTime.now());
        if (t == null) {
            out.print("510 - Could not parse date string\n");
            return false;
        }
        CandmCodec.Reply r = requestReply(new Command.Settime(Timespec.ofEpoch(t, 0)), RPY_MANUAL_TIMESTAMP2, true);
        if (r == null) return false;
        var m = ((ReplyBody.ManualTimestamp2) r.body()).result();
        out.print("Clock was " + CFormat.f(m.offsetSeconds(), 0, 2, false) + " seconds fast.  Frequency change = "
                + CFormat.f(m.dfreqPpm(), 0, 2, false) + "ppm, new frequency = " + CFormat.f(m.newAfreqPpm(), 0, 2, false)
                + "ppm\n");
        return true;
    }

    private boolean waitsync(ReportPrinter pr, String line) {
        String[] w = line.isEmpty() ? new String[0] : line.split(" ");
        int maxTries = 0;
        double maxCorrection = 0.0;
        double maxSkew = 0.0;
        double interval = 10.0;
        // sscanf stops at the first field that does not parse
        Integer mt = w.length > 0 ? scanInt(w[0]) : null;
        if (mt != null) {
            maxTries = mt;
            Double mc = w.length > 1 ? scanDouble(w[1]) : null;
            if (mc != null) {
                maxCorrection = mc;
                Double ms = w.length > 2 ? scanDouble(w[2]) : null;
                if (ms != null) {
                    maxSkew = ms;
                    Double iv = w.length > 3 ? scanDouble(w[3]) : null;
                    if (iv != null) interval = iv;
                }
            }
        }
        if (interval < 0.1) interval = 0.1;
        ReportPrinter p = new ReportPrinter(out, options.csv());
        boolean ret = false;
        for (int i = 1; ; i++) {
            CandmCodec.Reply r = requestReply(new Command.NoData(REQ_TRACKING), RPY_TRACKING, false);
            if (r != null) {
                var t = ((ReplyBody.Tracking) r.body()).report();
                double correction = Math.abs(t.currentCorrectionSeconds());
                double skew = t.skewPpm();
                p.print("try: %d, refid: %R, correction: %.9f, skew: %.3f\n", i, t.refId() & 0xffffffffL, correction, skew);
                out.flush();
                if ((t.address().family() != IpAddr.UNSPEC || (t.refId() != 0 && t.refId() != 0x7f7f0101))
                        && (maxCorrection == 0.0 || correction <= maxCorrection)
                        && (maxSkew == 0.0 || skew <= maxSkew)) {
                    ret = true;
                }
            }
            if (!ret && (maxTries == 0 || i < maxTries) && !quit) {
                try {
                    Thread.sleep((long) (interval * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } else {
                break;
            }
        }
        return ret;
    }
}
