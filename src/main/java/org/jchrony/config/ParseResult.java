package org.jchrony.config;

import java.util.List;

/**
 * What parsing a configuration produced.
 *
 * @param directives every directive in file order, included files expanded in place (the
 *     {@code include}/{@code confdir} directive itself precedes what it included)
 * @param sourceDirSources server/pool/peer lines read from the {@code sourcedir} directories
 *     at parse time (reload them with {@link ConfigParser#loadSourceDirs})
 * @param warnings {@code FILE:LINE: ...} lines for the daemon to log: directives recognised but
 *     not implemented, obsolete directives, invalid lines skipped in *.sources files
 * @param printedLines the configuration as chronyd {@code -p} prints it: each directive line
 *     normalized (comments and extra white space dropped), {@code include} and {@code confdir}
 *     lines replaced by the lines they included
 */
public record ParseResult(List<Directive> directives, List<Directive.NtpSource> sourceDirSources,
                          List<String> warnings, List<String> printedLines) {
    public ParseResult {
        directives = List.copyOf(directives);
        sourceDirSources = List.copyOf(sourceDirSources);
        warnings = List.copyOf(warnings);
        printedLines = List.copyOf(printedLines);
    }

    /** The text {@code jchronyd -p} prints: {@link #printedLines()} each ending in a newline. */
    public String toConfigText() {
        StringBuilder sb = new StringBuilder();
        for (String l : printedLines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
