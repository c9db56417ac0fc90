package org.jchrony.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Where log messages go, chosen as chronyd chooses: stderr with {@code -d}, the file given by
 * {@code -l}, otherwise syslog — except under systemd ({@code JOURNAL_STREAM} set, foreground),
 * where lines go to stdout with {@code <N>} priority prefixes that journald understands.
 * Lines on stderr and in files look like chronyd's: {@code 2026-11-26T12:36:12Z message}.
 */
public final class Logging {
    /** The pattern of chronyd's own stderr/file log lines. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss'Z',UTC} %msg%n";

    public enum Target { STDERR, FILE, JOURNAL, SYSLOG }

    private Logging() {}

    /**
     * Makes slf4j bind to {@link DirectProvider} instead of discovering logback and letting it
     * configure itself from the logback.xml on the class path, which {@link #configure} replaces
     * anyway: parsing that XML (Joran) was about a sixth of jchronyd's start-up. Call first thing
     * in {@code main}, before any logger exists; does nothing if {@code slf4j.provider} is already set.
     */
    public static void skipAutoConfiguration() {
        if (System.getProperty("slf4j.provider") != null) return;
        System.setProperty("slf4j.provider", DirectProvider.class.getName());
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "WARN");
    }

    /** logback's slf4j binding without its auto-configuration: the context starts with no appender until {@link #configure}. */
    public static final class DirectProvider implements org.slf4j.spi.SLF4JServiceProvider {
        private final LoggerContext context = new LoggerContext();
        private final org.slf4j.IMarkerFactory markers = new org.slf4j.helpers.BasicMarkerFactory();
        private final ch.qos.logback.classic.util.LogbackMDCAdapter mdc = new ch.qos.logback.classic.util.LogbackMDCAdapter();

        public DirectProvider() {}

        @Override public org.slf4j.ILoggerFactory getLoggerFactory() { return context; }
        @Override public org.slf4j.IMarkerFactory getMarkerFactory() { return markers; }
        @Override public org.slf4j.spi.MDCAdapter getMDCAdapter() { return mdc; }
        @Override public String getRequestedApiVersion() { return "2.0.99"; }

        @Override
        public void initialize() {
            context.setName("default");
            context.setMDCAdapter(mdc);
            context.start();
        }
    }

    /** chronyd's -L threshold (0 info, 1 warning, 2 error, 3 fatal) and -dd (debug) as a logback level. */
    public static Level level(int logLevel, int debugLevel) {
        if (debugLevel >= 2 || logLevel < 0) return Level.DEBUG;
        return switch (logLevel) {
            case 0 -> Level.INFO;
            case 1 -> Level.WARN;
            default -> Level.ERROR;
        };
    }

    public static Target target(int debugLevel, Path logFile, boolean foreground, String journalStream) {
        if (debugLevel > 0) return Target.STDERR;
        if (logFile != null) return Target.FILE;
        if (foreground && journalStream != null && !journalStream.isEmpty()) return Target.JOURNAL;
        return Target.SYSLOG;
    }

    /**
     * Replaces logback's configuration; returns where lines really go (STDERR when syslog is
     * unavailable). {@code syslogSink} receives complete RFC 3164 style
     * datagrams for the SYSLOG target (the daemon backs it with /dev/log); null sends
     * syslog-bound lines to stderr instead.
     */
    public static Target configure(Target target, Level level, Path logFile, Consumer<byte[]> syslogSink) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Appender<ILoggingEvent> appender = switch (target) {
            case STDERR -> console(ctx, "System.err", pattern(ctx, PATTERN));
            case FILE -> {
                FileAppender<ILoggingEvent> f = new FileAppender<>();
                f.setContext(ctx);
                f.setFile(logFile.toString());
                f.setAppend(true);
                f.setEncoder(pattern(ctx, PATTERN));
                f.start();
                yield f;
            }
            case JOURNAL -> console(ctx, "System.out", journal(ctx));
            case SYSLOG -> syslogSink == null ? console(ctx, "System.err", pattern(ctx, PATTERN)) : syslog(ctx, syslogSink);
        };
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level);
        // Library chatter (Netty's debug probing) stays out unless debugging.
        ctx.getLogger("io.netty").setLevel(level == Level.DEBUG ? Level.INFO : Level.WARN);
        return target == Target.SYSLOG && syslogSink == null ? Target.STDERR : target;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx, String target, ch.qos.logback.core.encoder.Encoder<ILoggingEvent> enc) {
        ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
        c.setContext(ctx);
        c.setTarget(target);
        c.setEncoder(enc);
        c.start();
        return c;
    }

    private static PatternLayoutEncoder pattern(LoggerContext ctx, String p) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(ctx);
        e.setPattern(p);
        e.start();
        return e;
    }

    /** syslog(3)/journald priority of a logback level. */
    static int priority(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) return 3;
        if (level.isGreaterOrEqual(Level.WARN)) return 4;
        if (level.isGreaterOrEqual(Level.INFO)) return 6;
        return 7;
    }

    /** journald stream format: {@code <6>message}, one line per record. */
    static String journalLine(ILoggingEvent e) {
        return "<" + priority(e.getLevel()) + ">" + e.getFormattedMessage().replace('\n', ' ') + "\n";
    }

    /** syslog datagram: {@code <PRI>chronyd[PID]: message}, facility daemon (3). */
    static String syslogLine(ILoggingEvent e, long pid) {
        return "<" + (3 * 8 + priority(e.getLevel())) + ">chronyd[" + pid + "]: " + e.getFormattedMessage();
    }

    private static EncoderBase<ILoggingEvent> journal(LoggerContext ctx) {
        EncoderBase<ILoggingEvent> enc = new EncoderBase<>() {
            @Override public byte[] headerBytes() { return null; }
            @Override public byte[] encode(ILoggingEvent e) { return journalLine(e).getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] footerBytes() { return null; }
        };
        enc.setContext(ctx);
        enc.start();
        return enc;
    }

    private static Appender<ILoggingEvent> syslog(LoggerContext ctx, Consumer<byte[]> sink) {
        long pid = ProcessHandle.current().pid();
        AppenderBase<ILoggingEvent> a = new AppenderBase<>() {
            @Override protected void append(ILoggingEvent e) {
                sink.accept(syslogLine(e, pid).getBytes(StandardCharsets.UTF_8));
            }
        };
        a.setContext(ctx);
        a.setName("syslog");
        a.start();
        return a;
    }
}
