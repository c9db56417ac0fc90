/**
 * chrony.conf parsing into typed, validated, immutable directives and {@code DaemonConfig}.
 * No I/O beyond reading the named files; no name resolution.
 *
 * <p>Flow: {@link org.jchrony.config.ConfigParser#parseFile(java.nio.file.Path)} (or
 * {@link org.jchrony.config.ConfigParser#parseLines(java.util.List, String)} for directives
 * given on the command line) returns a {@link org.jchrony.config.ParseResult}: the
 * {@link org.jchrony.config.Directive}s with their file:line, the sources read from
 * {@code sourcedir} files, warnings to log, and the text {@code -p} prints. Then
 * {@link org.jchrony.config.DaemonConfig#from(org.jchrony.config.ParseResult)} applies them to
 * chronyd's defaults. Errors are {@link org.jchrony.config.ConfigException}s whose message is
 * {@code FILE:LINE: what is wrong}, worded like chronyd's.
 *
 * <p>What jchronyd implements is the single table in {@link org.jchrony.config.Keyword}.
 *
 * <p>Behaviour matched: chronyd 4.8's conf.c/cmdparse.c semantics (line normalization,
 * comments, case-insensitive names, glibc {@code sscanf}/{@code strtol} leniency, option
 * ranges, include/confdir/sourcedir ordering), checked against Debian's chronyd 4.3 in
 * {@code -p} mode where 4.3 and 4.8 agree. Host names in {@code allow}/{@code deny} and source
 * names are kept as strings: chronyd resolves allow/deny names while parsing and refuses the
 * line if that fails, so the daemon should resolve {@link org.jchrony.config.Subnet#hostname()}
 * at start and treat a failure as fatal.
 */
package org.jchrony.config;
