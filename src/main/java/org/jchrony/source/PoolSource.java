package org.jchrony.source;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@code pool} directive: up to {@code maxsources} members resolved from one name, as chronyd
 * documents: members that stay unreachable (no response to the last 8 requests) or that are
 * persistently falsetickers are dropped and the name is resolved again for a replacement,
 * avoiding addresses that were dropped.
 */
public final class PoolSource {
    /** Number of requests after which an unreachable member is replaced. */
    static final int REPLACE_AFTER_REQUESTS = 8;

    private final String name;
    private final SourceOptions opts;
    private final Resolver resolver;
    private final Function<SourceAddress, NtpSource> memberFactory;
    private final java.util.function.Consumer<NtpSource> memberRemover;
    private final List<NtpSource> members = new ArrayList<>();
    private final Set<InetAddress> dropped = new HashSet<>();
    private boolean resolving;

    /**
     * @param memberFactory creates, registers and starts a member source for an address
     * @param memberRemover stops and unregisters a member
     */
    public PoolSource(String name, SourceOptions opts, Resolver resolver,
                      Function<SourceAddress, NtpSource> memberFactory,
                      java.util.function.Consumer<NtpSource> memberRemover) {
        this.name = name;
        this.opts = opts;
        this.resolver = resolver;
        this.memberFactory = memberFactory;
        this.memberRemover = memberRemover;
    }

    public String name() { return name; }

    public int maxSources() { return Math.max(1, opts.maxSources()); }

    public List<NtpSource> members() { return List.copyOf(members); }

    /** Resolves the name and fills missing members. */
    public void refill() {
        if (members.size() >= maxSources() || resolving) return;
        resolving = true;
        resolver.resolve(name, this::addressesResolved);
    }

    private void addressesResolved(List<InetAddress> addresses) {
        resolving = false;
        for (InetAddress a : addresses) {
            if (members.size() >= maxSources()) break;
            if (dropped.contains(a)) continue;
            if (members.stream().anyMatch(m -> m.address().equals(a))) continue;
            NtpSource m = memberFactory.apply(new SourceAddress(a, opts.port()));
            if (m != null) members.add(m);
        }
        if (members.size() < maxSources() && dropped.size() > 4 * maxSources()) {
            dropped.clear(); // give old addresses another chance eventually
        }
    }

    /**
     * Drops members that are unreachable after {@value #REPLACE_AFTER_REQUESTS} requests or
     * that {@code isFalseticker} reports, then asks for replacements. Returns how many were dropped.
     */
    public int replaceBadMembers(Predicate<NtpSource> isFalseticker) {
        int n = 0;
        for (NtpSource m : List.copyOf(members)) {
            boolean unreachable = m.requests() >= REPLACE_AFTER_REQUESTS && m.reach() == 0;
            boolean bad = unreachable || m.demobilised() || isFalseticker.test(m);
            if (bad) {
                members.remove(m);
                dropped.add(m.address());
                memberRemover.accept(m);
                n++;
            }
        }
        if (members.size() < maxSources()) refill();
        return n;
    }

    /** Forget a member removed from outside (chronyc delete). */
    void forget(NtpSource m) {
        members.remove(m);
    }
}
