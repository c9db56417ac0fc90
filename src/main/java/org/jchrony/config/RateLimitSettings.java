package org.jchrony.config;

/**
 * Effective response rate limiting of one service, as chronyd's {@code ratelimit},
 * {@code ntsratelimit} and {@code cmdratelimit}: off unless the directive appears; then the
 * directive's options override these defaults.
 *
 * @param enabled whether the directive was given
 * @param intervalLog2 minimum average interval between responses, log2 seconds
 * @param burst responses allowed in a burst
 * @param leakLog2 on average 1 in 2^leak limited requests still gets a response
 * @param kod limited requests get a KoD RATE reply 1 in 2^kod times; 0 = never (ratelimit only)
 */
public record RateLimitSettings(boolean enabled, int intervalLog2, int burst, int leakLog2, int kod) {
    /** ratelimit: interval 3, burst 8, leak 2, kod 0. */
    public static final RateLimitSettings NTP_DEFAULT = new RateLimitSettings(false, 3, 8, 2, 0);
    /** ntsratelimit: interval 6, burst 8, leak 2. */
    public static final RateLimitSettings NTS_DEFAULT = new RateLimitSettings(false, 6, 8, 2, 0);
    /** cmdratelimit: interval −4, burst 8, leak 2. */
    public static final RateLimitSettings CMD_DEFAULT = new RateLimitSettings(false, -4, 8, 2, 0);

    /** These settings with a directive applied on top (enables limiting). */
    public RateLimitSettings with(Directive.RateLimit d) {
        return new RateLimitSettings(true, d.intervalLog2().orElse(intervalLog2), d.burst().orElse(burst),
                d.leakLog2().orElse(leakLog2), d.kod().orElse(kod));
    }
}
