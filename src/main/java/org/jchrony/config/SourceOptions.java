package org.jchrony.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The options of a {@code server}, {@code pool} or {@code peer} directive (chrony.conf(5) 4.8),
 * with chronyd's defaults filled in for every option that has a fixed default. Options whose
 * default depends on other configuration stay optional: {@code version} (chronyd picks 4, or
 * what the authentication mode suggests), {@code minsamples}/{@code maxsamples} (the global
 * {@code minsamples}/{@code maxsamples} directives) and {@code filter} (no filter).
 *
 * @param port remote NTP port, default 123
 * @param minPollLog2 default 6 (any int is accepted, as chronyd; the daemon clamps)
 * @param maxPollLog2 default 10, accepted −32..32
 * @param presendPollLog2 empty unless {@code presend} given (−32..32)
 * @param pollTarget default 8, at least 1
 * @param minStratum default 0, 0..16
 * @param maxSources pool only, default 4, at least 1
 * @param version 1..4 when given
 * @param minSamples per-source minimum, 0.. when given
 * @param maxSamples per-source maximum, 0.. when given
 * @param maxUnreach default 100000
 * @param filterLength median filter length when given (0.. ; 0 = off)
 * @param keyId symmetric key id (1..2^32−1) when given
 * @param certSet NTS trusted certificate set, default 0
 * @param ntsPort NTS-KE port, default 4460
 * @param maxDelaySeconds default 3
 * @param maxDelayRatio default 0 (off)
 * @param maxDelayDevRatio default 10
 * @param maxDelayQuant default 0 (off)
 * @param minDelaySeconds default 0 (off)
 * @param asymmetry default 1.0
 * @param offsetSeconds default 0
 * @param addressFamily {@code ipv4}/{@code ipv6} option, empty when either
 */
public record SourceOptions(
        int port,
        int minPollLog2,
        int maxPollLog2,
        OptionalInt presendPollLog2,
        int pollTarget,
        int minStratum,
        int maxSources,
        OptionalInt version,
        OptionalInt minSamples,
        OptionalInt maxSamples,
        int maxUnreach,
        OptionalInt filterLength,
        boolean iburst,
        boolean burst,
        boolean offline,
        boolean autoOffline,
        boolean xleave,
        boolean copy,
        boolean nts,
        Set<SelectOption> selectOptions,
        Set<ExtensionField> extensionFields,
        OptionalLong keyId,
        long certSet,
        int ntsPort,
        double maxDelaySeconds,
        double maxDelayRatio,
        double maxDelayDevRatio,
        double maxDelayQuant,
        double minDelaySeconds,
        double asymmetry,
        double offsetSeconds,
        Optional<IpAddress.Family> addressFamily) {

    public static final int DEFAULT_PORT = 123;
    public static final int DEFAULT_MINPOLL = 6;
    public static final int DEFAULT_MAXPOLL = 10;
    public static final int DEFAULT_POLLTARGET = 8;
    public static final int DEFAULT_MAXSOURCES = 4;
    public static final int DEFAULT_MAXUNREACH = 100000;
    public static final int DEFAULT_NTSPORT = 4460;
    public static final double DEFAULT_MAXDELAY = 3.0;
    public static final double DEFAULT_MAXDELAYDEVRATIO = 10.0;
    public static final double DEFAULT_ASYMMETRY = 1.0;
    /** Protocol version used when none is given (unless authentication suggests another). */
    public static final int DEFAULT_VERSION = 4;

    /** Selection options shared by sources and reference clocks. */
    public enum SelectOption {
        NOSELECT, PREFER, TRUST, REQUIRE;

        /** The option word as written in chrony.conf. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Experimental NTP extension fields the {@code extfield} option can enable. */
    public enum ExtensionField {
        /** 0xF323: monotonic receive timestamp and root delay/dispersion. */
        EXP_MONO_ROOT(0xF323),
        /** 0xF324: network correction (PTP transparent clocks). */
        EXP_NET_CORRECTION(0xF324);

        private final int type;

        ExtensionField(int type) {
            this.type = type;
        }

        public int type() {
            return type;
        }
    }

    public SourceOptions {
        Objects.requireNonNull(presendPollLog2);
        Objects.requireNonNull(version);
        Objects.requireNonNull(minSamples);
        Objects.requireNonNull(maxSamples);
        Objects.requireNonNull(filterLength);
        Objects.requireNonNull(keyId);
        Objects.requireNonNull(addressFamily);
        selectOptions = Set.copyOf(selectOptions);
        extensionFields = Set.copyOf(extensionFields);
    }

    /** chronyd's defaults, as for {@code server NAME} with no options. */
    public static SourceOptions defaults() {
        return new SourceOptions(DEFAULT_PORT, DEFAULT_MINPOLL, DEFAULT_MAXPOLL, OptionalInt.empty(),
                DEFAULT_POLLTARGET, 0, DEFAULT_MAXSOURCES, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), DEFAULT_MAXUNREACH, OptionalInt.empty(), false, false, false, false,
                false, false, false, Set.of(), Set.of(), OptionalLong.empty(), 0, DEFAULT_NTSPORT,
                DEFAULT_MAXDELAY, 0.0, DEFAULT_MAXDELAYDEVRATIO, 0.0, 0.0, DEFAULT_ASYMMETRY, 0.0,
                Optional.empty());
    }

    /** The protocol version to send: the {@code version} option or 4. */
    public int versionOrDefault() {
        return version.orElse(DEFAULT_VERSION);
    }

    public boolean has(SelectOption option) {
        return selectOptions.contains(option);
    }
}
