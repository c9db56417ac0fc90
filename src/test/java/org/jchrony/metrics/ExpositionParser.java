package org.jchrony.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small strict parser of the OpenMetrics 1.0 text format and the Prometheus 0.0.4 text
 * format, for tests. Rejects (IllegalArgumentException) what the specifications forbid and what
 * we promise not to emit: samples of undeclared families, families without HELP/TYPE,
 * interleaved or repeated families, counters without {@code _total}, units not in the name,
 * bad label syntax or escapes, duplicate series, missing or extra {@code # EOF}.
 */
final class ExpositionParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> OM_TYPES = Set.of("counter", "gauge", "info", "stateset", "histogram",
            "gaugehistogram", "summary", "unknown");
    private static final Set<String> PROM_TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    static final class Family {
        final String name;
        String type;
        String help;
        String unit;
        final List<Sample> samples = new ArrayList<>();
        final Set<String> series = new HashSet<>();

        Family(String name) {
            this.name = name;
        }

        double value(Map<String, String> labels) {
            return samples.stream().filter(s -> s.labels().equals(labels)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has no series " + labels)).value();
        }
    }

    private ExpositionParser() {}

    static Map<String, Family> openMetrics(String text) {
        if (!text.endsWith("# EOF\n") && !text.endsWith("# EOF")) throw bad("does not end with # EOF");
        String body = text.substring(0, text.lastIndexOf("# EOF"));
        Map<String, Family> families = new LinkedHashMap<>();
        Family current = null;
        boolean samplesSeen = false;
        String[] lines = body.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty()) {
                if (n == lines.length - 1) continue; // the remainder after the last newline
                throw bad("empty line");
            }
            if (line.equals("# EOF")) throw bad("more than one # EOF");
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length < 3 || !p[0].equals("#")) throw bad("bad comment line: " + line);
                String kind = p[1];
                String name = p[2];
                if (!METRIC_NAME.matcher(name).matches()) throw bad("bad family name " + name);
                if (current == null || !current.name.equals(name)) {
                    if (families.containsKey(name)) throw bad("family " + name + " is not contiguous");
                    current = new Family(name);
                    families.put(name, current);
                    samplesSeen = false;
                }
                if (samplesSeen) throw bad("metadata after samples in " + name);
                String arg = p.length == 4 ? p[3] : "";
                switch (kind) {
                    case "TYPE" -> {
                        if (current.type != null) throw bad("two TYPE lines for " + name);
                        if (!OM_TYPES.contains(arg)) throw bad("bad type " + arg);
                        current.type = arg;
                    }
                    case "HELP" -> {
                        if (current.help != null) throw bad("two HELP lines for " + name);
                        current.help = unescape(arg, true);
                    }
                    case "UNIT" -> {
                        if (current.unit != null) throw bad("two UNIT lines for " + name);
                        if (!name.endsWith("_" + arg)) throw bad("unit " + arg + " not a suffix of " + name);
                        current.unit = arg;
                    }
                    default -> throw bad("unknown metadata " + kind);
                }
                continue;
            }
            Sample s = sample(line);
            if (current == null || current.type == null || current.help == null) {
                throw bad("sample without a declared family (TYPE and HELP): " + line);
            }
            String expected = switch (current.type) {
                case "counter" -> current.name + "_total";
                case "info" -> current.name + "_info";
                default -> current.name;
            };
            if (!s.name().equals(expected)) throw bad("sample " + s.name() + " does not belong to " + current.name);
            if (current.type.equals("counter") && (current.name.endsWith("_total") || !(s.value() >= 0))) {
                throw bad("bad counter " + line);
            }
            if (current.type.equals("info") && s.value() != 1) throw bad("info value must be 1: " + line);
            if (!current.series.add(s.name() + s.labels())) throw bad("duplicate series " + line);
            current.samples.add(s);
            samplesSeen = true;
        }
        return families;
    }

    static Map<String, Family> prometheus(String text) {
        if (!text.endsWith("\n")) throw bad("no final newline");
        if (text.contains("# EOF")) throw bad("# EOF in Prometheus text");
        Map<String, Family> families = new LinkedHashMap<>();
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            if (line.isEmpty()) throw bad("empty line");
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] p = line.split(" ", 4);
                Family f = families.computeIfAbsent(p[2], Family::new);
                if (!f.samples.isEmpty()) throw bad("metadata after samples: " + line);
                if (p[1].equals("TYPE")) {
                    if (f.type != null || !PROM_TYPES.contains(p[3])) throw bad("bad TYPE " + line);
                    f.type = p[3];
                } else {
                    if (f.help != null) throw bad("two HELP " + line);
                    f.help = unescape(p.length == 4 ? p[3] : "", false);
                }
                continue;
            }
            if (line.startsWith("#")) continue;
            Sample s = sample(line);
            Family f = families.get(s.name());
            if (f == null || f.type == null || f.help == null) throw bad("undeclared sample " + line);
            if (f.type.equals("counter") && (!f.name.endsWith("_total") || !(s.value() >= 0))) {
                throw bad("bad counter " + line);
            }
            if (!f.series.add(s.labels().toString())) throw bad("duplicate series " + line);
            f.samples.add(s);
        }
        return families;
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) throw bad("bad metric name in " + line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            if (line.charAt(i) == '}') throw bad("empty label set braces " + line);
            while (true) {
                int eq = line.indexOf('=', i);
                if (eq < 0) throw bad("label without = in " + line);
                String lname = line.substring(i, eq);
                if (!LABEL_NAME.matcher(lname).matches()) throw bad("bad label name " + lname);
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') throw bad("unquoted label value " + line);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (;; j++) {
                    if (j >= line.length()) throw bad("unterminated label value " + line);
                    char c = line.charAt(j);
                    if (c == '"') break;
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        switch (n) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw bad("bad escape \\" + n + " in " + line);
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(lname, v.toString()) != null) throw bad("duplicate label " + lname);
                i = j + 1;
                char sep = line.charAt(i);
                if (sep == '}') {
                    i++;
                    break;
                }
                if (sep != ',') throw bad("bad label separator in " + line);
                i++;
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') throw bad("no space before value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) throw bad("bad value/timestamp: " + line);
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!NUMBER.matcher(s).matches()) throw bad("bad number " + s);
                yield Double.parseDouble(s);
            }
        };
    }

    private static String unescape(String s, boolean quotes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') throw bad("raw newline in HELP");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case '\\' -> sb.append('\\');
                case 'n' -> sb.append('\n');
                case '"' -> {
                    if (!quotes) throw bad("bad HELP escape");
                    sb.append('"');
                }
                default -> throw bad("bad HELP escape \\" + n);
            }
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(why);
    }
}
