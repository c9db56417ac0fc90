package org.jchrony.config;

import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads chrony.conf the way chronyd 4.8 does: line by line (at most 2047 characters a line),
 * comments starting with {@code ! ; # %}, case-insensitive directive names, {@code include}
 * with glob patterns, {@code confdir} (all {@code *.conf} files of up to 10 directories, in
 * file-name order, the first directory holding a name winning) and {@code sourcedir}
 * ({@code *.sources} files, same ordering, only server/pool/peer lines, every line
 * newline-terminated, invalid lines skipped). Includes nest at most 10 files deep.
 *
 * <p>Stateless and thread-safe; it reads files, nothing else.
 */
public final class ConfigParser {
    /** chronyd's line buffer: a line (with its newline) must be shorter than this. */
    static final int MAX_LINE_LENGTH = 2048;
    /** chronyd's include nesting limit (the top file counts). */
    static final int MAX_INCLUDE_LEVEL = 10;

    private ConfigParser() {
    }

    /** Parses a configuration file and everything it includes. */
    public static ParseResult parseFile(Path file) throws ConfigException {
        return parseFile(file, line -> { });
    }

    /**
     * As {@link #parseFile(Path)}, also handing each directive line to {@code printer} as it is
     * reached, before it is checked, in the form {@code chronyd -p} prints: on an error the
     * lines up to and including the bad one have been printed, as chronyd does.
     */
    public static ParseResult parseFile(Path file, Consumer<String> printer) throws ConfigException {
        State st = new State(printer);
        st.readFile(file, Optional.empty());
        return st.finish();
    }

    /**
     * Parses directives given as separate lines, e.g. chronyd's command-line configuration
     * ({@code chronyd 'server foo iburst' 'allow'}), under a pseudo file name used in messages.
     */
    public static ParseResult parseLines(List<String> lines, String name) throws ConfigException {
        return parseLines(lines, name, line -> { });
    }

    /** As {@link #parseLines(List, String)} with a {@code -p} printer as in {@link #parseFile(Path, Consumer)}. */
    public static ParseResult parseLines(List<String> lines, String name, Consumer<String> printer)
            throws ConfigException {
        State st = new State(printer);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            st.parseLine(new SourceLocation(name, i + 1), line, line.getBytes(StandardCharsets.UTF_8).length);
        }
        return st.finish();
    }

    /** Sources read from sourcedir directories, with warnings for the lines skipped. */
    public record SourceDirContents(List<Directive.NtpSource> sources, List<String> warnings) {
        public SourceDirContents {
            sources = List.copyOf(sources);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * (Re)reads the {@code *.sources} files of the given sourcedir directives, as chronyd does
     * at start and on {@code chronyc reload sources}. Missing directories are not an error.
     */
    public static SourceDirContents loadSourceDirs(List<Directive.SourceDir> sourceDirs) {
        List<Directive.NtpSource> sources = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Directive.SourceDir sd : sourceDirs) {
            for (Path f : filesInDirs(sd.directories(), ".sources")) {
                readSourcesFile(f, sources, warnings);
            }
        }
        return new SourceDirContents(sources, warnings);
    }

    // ------------------------------------------------------------------------------------

    private static final class State {
        final List<Directive> directives = new ArrayList<>();
        final List<Directive.SourceDir> sourceDirs = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final List<String> printed = new ArrayList<>();
        final Consumer<String> printer;
        int level;

        State(Consumer<String> printer) {
            this.printer = printer;
        }

        ParseResult finish() {
            SourceDirContents sd = loadSourceDirs(sourceDirs);
            List<String> w = new ArrayList<>(warnings);
            w.addAll(sd.warnings());
            return new ParseResult(directives, sd.sources(), w, printed);
        }

        void readFile(Path file, Optional<SourceLocation> from) throws ConfigException {
            if (level >= MAX_INCLUDE_LEVEL) {
                throw error(from, file, "Maximum include level reached");
            }
            byte[] bytes;
            if (Files.isDirectory(file) && Files.isReadable(file)) {
                // chronyd opens a directory fine and reads no line from it
                bytes = new byte[0];
            } else {
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw error(from, file, "Could not open " + file + " : " + reason(e));
                }
            }
            level++;
            String name = file.toString();
            int lineNo = 0;
            int start = 0;
            while (start < bytes.length) {
                int nl = indexOf(bytes, (byte) '\n', start);
                int end = nl < 0 ? bytes.length : nl;
                lineNo++;
                int cLength = end - start + (nl < 0 ? 0 : 1);
                parseLine(new SourceLocation(name, lineNo), decode(bytes, start, end), cLength);
                start = end + 1;
            }
            level--;
        }

        void parseLine(SourceLocation loc, String raw, int cLength) throws ConfigException {
            int nul = raw.indexOf('\0');
            if (nul >= 0) {
                // chronyd handles lines as C strings: nothing after a NUL byte counts
                raw = raw.substring(0, nul);
                cLength = raw.getBytes(StandardCharsets.UTF_8).length;
            }
            if (cLength >= MAX_LINE_LENGTH) {
                throw new ConfigException(loc, "String too long");
            }
            String line = LineParser.normalize(raw);
            if (line.isEmpty()) {
                return;
            }
            int sp = line.indexOf(' ');
            String command = sp < 0 ? line : line.substring(0, sp);
            String args = sp < 0 ? "" : line.substring(sp + 1);
            String lower = LineParser.asciiLower(command);
            boolean expands = lower.equals("include") || lower.equals("confdir");
            if (!expands) {
                printed.add(line);
                printer.accept(line);
            }
            Directive d = LineParser.parse(loc, command, args);
            directives.add(d);
            switch (d.keyword().support()) {
                case NOT_IMPLEMENTED -> warnings.add(loc + ": " + d.keyword().directiveName()
                        + " directive is not supported by jchronyd and is ignored");
                case OBSOLETE -> warnings.add(loc + ": " + command + " directive is no longer supported");
                case IMPLEMENTED, SILENTLY_IGNORED -> {
                }
            }
            switch (d) {
                case Directive.Include inc -> {
                    List<Path> files;
                    try {
                        files = glob(inc.pattern());
                    } catch (GlobAbortedException e) {
                        throw new ConfigException(loc, "Could not search for files matching " + inc.pattern());
                    }
                    for (Path p : files) {
                        readFile(p, Optional.of(loc));
                    }
                }
                case Directive.ConfDir cd -> {
                    for (Path p : filesInDirs(cd.directories(), ".conf")) {
                        readFile(p, Optional.of(loc));
                    }
                }
                case Directive.SourceDir sd -> sourceDirs.add(sd);
                default -> {
                }
            }
        }
    }

    private static ConfigException error(Optional<SourceLocation> from, Path file, String detail) {
        return from.map(l -> new ConfigException(l, detail)).orElseGet(() -> new ConfigException(file.toString(), detail));
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            return "Is a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] b, int start, int end) {
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(b, start, end - start)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * chronyd's confdir/sourcedir search: the files {@code DIR/*SUFFIX} (not hidden) of all
     * directories, ordered by file name; of files sharing a name only the one in the earliest
     * listed directory is taken.
     */
    static List<Path> filesInDirs(List<String> dirs, String suffix) {
        Map<String, Path> byName = new TreeMap<>();
        for (String dir : dirs) {
            for (Path p : listDir(Path.of(dir))) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !n.endsWith(suffix) || Files.isDirectory(p)) {
                    continue;
                }
                byName.putIfAbsent(n, p);
            }
        }
        return List.copyOf(byName.values());
    }

    private static List<Path> listDir(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** glob(3) with GLOB_ERR gave up: a directory it had to read could not be read. */
    static final class GlobAbortedException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Expands an include pattern like glob(3) with GLOB_NOMAGIC|GLOB_ERR: a pattern without
     * wildcards is returned as is (so a missing file is an error when opened); a pattern with
     * wildcards yields the existing matches in name order, possibly none. Wildcards:
     * {@code * ? [...]} in any path component; a leading dot must be matched explicitly. A
     * directory to search that is named literally and is missing or unreadable aborts, as
     * glibc does ("Could not search for files matching ...").
     */
    static List<Path> glob(String pattern) throws GlobAbortedException {
        if (!hasMagic(pattern)) {
            return List.of(Path.of(pattern));
        }
        boolean absolute = pattern.startsWith("/");
        String[] comps = pattern.split("/+");
        List<String> current = new ArrayList<>();
        current.add(absolute ? "/" : "");
        boolean expandedBefore = false;
        for (String comp : comps) {
            if (comp.isEmpty()) {
                continue;
            }
            List<String> next = new ArrayList<>();
            for (String base : current) {
                if (!hasMagic(comp)) {
                    next.add(join(base, comp));
                    continue;
                }
                Path dirPath = Path.of(base.isEmpty() ? "." : base);
                List<Path> entries;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dirPath)) {
                    entries = new ArrayList<>();
                    for (Path p : ds) {
                        entries.add(p);
                    }
                } catch (NotDirectoryException e) {
                    continue;
                } catch (NoSuchFileException e) {
                    if (expandedBefore) {
                        continue; // the directory came from a wildcard match: simply no match
                    }
                    throw new GlobAbortedException();
                } catch (IOException e) {
                    throw new GlobAbortedException();
                }
                PathMatcher m;
                try {
                    m = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + toJavaGlob(comp));
                } catch (java.util.regex.PatternSyntaxException e) {
                    // glob(3) takes a malformed bracket expression literally (found by fuzzing: it escaped as a crash)
                    m = n -> n.toString().equals(comp);
                }
                List<String> matches = new ArrayList<>();
                for (Path p : entries) {
                    Path n = p.getFileName();
                    if (n.toString().startsWith(".") && !comp.startsWith(".")) {
                        continue;
                    }
                    if (m.matches(n)) {
                        matches.add(join(base, n.toString()));
                    }
                }
                matches.sort(null);
                next.addAll(matches);
            }
            if (hasMagic(comp)) {
                expandedBefore = true;
            }
            current = next;
        }
        List<String> found = new ArrayList<>();
        for (String s : current) {
            if (Files.exists(Path.of(s))) {
                found.add(s);
            }
        }
        found.sort(null);
        List<Path> out = new ArrayList<>();
        for (String k : found) {
            out.add(Path.of(k));
        }
        return out;
    }

    private static String join(String base, String comp) {
        if (base.isEmpty()) {
            return comp;
        }
        return base.endsWith("/") ? base + comp : base + "/" + comp;
    }

    private static boolean hasMagic(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** Shell wildcard component to java.nio glob syntax ({@code {} ,} are literal in the shell). */
    private static String toJavaGlob(String comp) {
        StringBuilder sb = new StringBuilder();
        boolean inBracket = false;
        for (int i = 0; i < comp.length(); i++) {
            char ch = comp.charAt(i);
            if (inBracket) {
                if (ch == ']') {
                    inBracket = false;
                }
                if (ch == '\\') {
                    sb.append("\\\\");
                    continue;
                }
                sb.append(ch);
                continue;
            }
            switch (ch) {
                case '{', '}', ',', '\\' -> sb.append('\\').append(ch);
                case '[' -> {
                    inBracket = true;
                    sb.append(ch);
                    if (i + 1 < comp.length() && comp.charAt(i + 1) == '!') {
                        sb.append('!');
                        i++;
                    }
                }
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static void readSourcesFile(Path f, List<Directive.NtpSource> sources, List<String> warnings) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            warnings.add(f + ": Could not open " + f + " : " + reason(e));
            return;
        }
        int start = 0;
        int lineNo = 0;
        while (start < bytes.length) {
            int nl = indexOf(bytes, (byte) '\n', start);
            lineNo++;
            if (nl < 0) {
                // chronyd requires every line of a sources file to be terminated
                warnings.add(f + ":" + lineNo + ": line not terminated by newline, ignored");
                break;
            }
            String line = LineParser.normalize(decode(bytes, start, nl));
            start = nl + 1;
            if (line.isEmpty()) {
                continue;
            }
            SourceLocation loc = new SourceLocation(f.toString(), lineNo);
            int sp = line.indexOf(' ');
            String command = sp < 0 ? line : line.substring(0, sp);
            String args = sp < 0 ? "" : line.substring(sp + 1);
            Optional<Directive.NtpSource> s = LineParser.sourceFromSourcesFile(loc, command, args);
            if (s.isPresent()) {
                sources.add(s.get());
            } else {
                warnings.add(loc + ": invalid source line ignored: " + line);
            }
        }
    }
}
