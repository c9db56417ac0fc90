package org.jchrony.cmdmon;

import static org.jchrony.cmdmon.Candm.*;

import java.util.function.Predicate;
import org.jchrony.server.DatagramHandler;
import org.jchrony.server.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * chronyd's command and monitoring responder (cmdmon): validates a chronyc request in chronyd's
 * order, checks access, asks the {@link CommandTarget} and writes the reply.
 *
 * <ul>
 *   <li>UDP: only from 127.0.0.1, ::1 or hosts the {@code cmdAllowed} predicate admits
 *       (cmdallow); others get silence. Over UDP only the monitoring commands chronyd opens
 *       (tracking, sources, sourcestats, rtcdata, manual list, activity, smoothing, sourcename)
 *       are served; anything else is answered "not authorised".</li>
 *   <li>Unix socket ({@link PeerAddress#UNIX}): every command.</li>
 *   <li>Dropped silently: shorter than 28 or longer than 860 bytes, packet type not request,
 *       reserved bytes set, version below 5. Version 5 or above but not 6: BADPKTVERSION.
 *       Unknown command: INVALID. Shorter than the command's padded length: BADPKTLENGTH.</li>
 *   <li>A reply is never longer than its request (it is dropped instead).</li>
 *   <li>Generations by request length: SERVER_STATS of 196+ bytes gets the 4.4+ reply (64-bit
 *       counters), 72+ the 4.3 one; NTP_DATA of 172+ bytes gets NTP_DATA2, 152+ NTP_DATA.</li>
 * </ul>
 * Not thread-safe by itself; call it from the thread that owns the target (the core loop).
 */
public final class CommandHandler implements DatagramHandler {
    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);

    private final CommandTarget target;
    private final Predicate<PeerAddress> cmdAllowed;
    private long internalErrors;

    /**
     * @param target     the daemon's state and controls
     * @param cmdAllowed whether a non-loopback UDP peer is admitted by cmdallow/cmddeny
     */
    public CommandHandler(CommandTarget target, Predicate<PeerAddress> cmdAllowed) {
        this.target = target;
        this.cmdAllowed = cmdAllowed;
    }

    @Override
    public int handle(byte[] in, int inLength, PeerAddress peer, long rxRealtimeNanos, byte[] out) {
        try {
            return process(in, inLength, peer, rxRealtimeNanos, out);
        } catch (RuntimeException e) {
            internalErrors++;
            log.warn("Command request from {} failed", peer, e);
            return 0;
        }
    }

    /** Requests dropped because processing threw (a bug in us or in the target); should stay 0. */
    public long internalErrors() { return internalErrors; }

    private static boolean isLocalhost(PeerAddress peer) {
        byte[] a = peer.address();
        if (peer.family() == PeerAddress.INET4) {
            return (a[0] & 0xff) == 127 && a[1] == 0 && a[2] == 0 && a[3] == 1;
        }
        if (peer.family() == PeerAddress.INET6) {
            for (int i = 0; i < 15; i++) if (a[i] != 0) return false;
            return a[15] == 1;
        }
        return false;
    }

    private int process(byte[] in, int length, PeerAddress peer, long now, byte[] out) {
        boolean unix = peer.family() == PeerAddress.UNIX;
        boolean localhost = unix || isLocalhost(peer);
        if (!localhost && !cmdAllowed.test(peer)) {
            log.debug("Unauthorised host {}", peer);
            return 0;
        }
        if (length < REPLY_HEADER || length > MAX_REQUEST) return 0;
        if ((in[1] & 0xff) != PKT_TYPE_REQUEST || in[2] != 0 || in[3] != 0) return 0;
        if (!target.logCommandAccess(peer, localhost, now) && !localhost) return 0;

        int version = in[0] & 0xff;
        int command = (in[4] & 0xff) << 8 | (in[5] & 0xff);
        int sequence = (in[8] & 0xff) << 24 | (in[9] & 0xff) << 16 | (in[10] & 0xff) << 8 | (in[11] & 0xff);

        if (version != PROTO_VERSION) {
            if (version >= PROTO_VERSION_MISMATCH_COMPAT_SERVER) {
                return send(command, sequence, Status.BAD_PKT_VERSION, new ReplyBody.Empty(), length, out);
            }
            return 0;
        }
        if (!knownRequest(command)) {
            return send(command, sequence, Status.INVALID, new ReplyBody.Empty(), length, out);
        }
        if (length < requestLength(command)) {
            return send(command, sequence, Status.BAD_PKT_LENGTH, new ReplyBody.Empty(), length, out);
        }
        if (!unix && !openOverUdp(command)) {
            return send(command, sequence, Status.UNAUTH, new ReplyBody.Empty(), length, out);
        }

        Command cmd = CandmCodec.decodeRequest(in, length).command();
        Result r = dispatch(cmd, in, length, now);
        return send(command, sequence, r.status, r.body, length, out);
    }

    private record Result(Status status, ReplyBody body) {
        static final ReplyBody EMPTY = new ReplyBody.Empty();

        static Result of(Status s) { return new Result(s, EMPTY); }

        static Result ok(ReplyBody body) { return new Result(Status.SUCCESS, body); }

        static Result okOr(java.util.Optional<? extends ReplyBody> body, Status otherwise) {
            return body.<Result>map(Result::ok).orElseGet(() -> of(otherwise));
        }
    }

    private Result dispatch(Command cmd, byte[] in, int length, long now) {
        return switch (cmd) {
            case Command.NoData n -> noData(n.code(), length, now);
            case Command.Connectivity c -> Result.of(target.setConnectivity(c.mask(), c.address(), c.code() == REQ_ONLINE));
            case Command.Burst b -> Result.of(target.burst(b.mask(), b.address(), b.goodSamples(), b.totalSamples()));
            case Command.AddressInt a -> Result.of(target.modifySource(SourceParameter.of(a.code()), a.address(), a.value()));
            case Command.AddressFloat a -> Result.of(target.modifySource(SourceParameter.of(a.code()), a.address(), a.value()));
            case Command.IntArg a -> intArg(a, now);
            case Command.FloatArg f -> switch (f.code()) {
                case REQ_MODIFY_MAXUPDATESKEW -> Result.of(target.modifyMaxUpdateSkew(f.value()));
                case REQ_DFREQ -> Result.of(target.dfreq(f.value()));
                case REQ_DOFFSET2 -> Result.of(target.doffset(f.value()));
                default -> Result.of(target.reselectDistance(f.value()));
            };
            case Command.Address a -> address(a, length);
            case Command.AllowDeny a -> {
                boolean cmdAccess = a.code() >= REQ_CMDALLOW;
                boolean allow = a.code() == REQ_ALLOW || a.code() == REQ_ALLOWALL || a.code() == REQ_CMDALLOW
                        || a.code() == REQ_CMDALLOWALL;
                boolean all = a.code() == REQ_ALLOWALL || a.code() == REQ_DENYALL || a.code() == REQ_CMDALLOWALL
                        || a.code() == REQ_CMDDENYALL;
                yield Result.of(target.allowDeny(cmdAccess, allow, all, a.address(), a.subnetBits()));
            }
            case Command.ModifyMakestep m -> Result.of(target.modifyMakestep(m.limit(), m.thresholdSeconds()));
            case Command.Settime s -> {
                CommandTarget.SettimeResult r = target.settime(s.time());
                yield r.status() == Status.SUCCESS && r.timestamp() != null
                        ? Result.ok(new ReplyBody.ManualTimestamp2(r.timestamp()))
                        : Result.of(r.status() == Status.SUCCESS ? Status.FAILED : r.status());
            }
            case Command.Logon l -> Result.of(Status.FAILED); // authentication is gone; chronyd fails log-on
            case Command.Local l -> Result.of(target.local(l.on(), l.stratum(), l.distanceSeconds(), l.orphan(),
                    l.activateSeconds(), l.waitSyncedSeconds(), l.waitUnsyncedSeconds()));
            case Command.ClientAccesses c -> Result.okOr(target.clientAccesses(c.firstIndex() & 0xffffffffL,
                    Integer.compareUnsigned(c.maxClients(), MAX_CLIENT_ACCESSES) > 0 ? MAX_CLIENT_ACCESSES : c.maxClients(),
                    c.minHits() & 0xffffffffL, c.reset(), now).map(ReplyBody.ClientAccesses::new), Status.INACTIVE);
            case Command.ModifySelectOpts m -> Result.of(target.modifySelectOptions(m.address(), m.refId(), m.mask(),
                    selectOptionsFromAddSourceFlags(m.options())));
            case Command.ModifyOffset m -> Result.of(target.modifyOffset(m.address(), m.refId(), m.offsetSeconds()));
            case Command.AddSource a -> {
                if (a.type() < Command.AddSource.SERVER || a.type() > Command.AddSource.POOL) yield Result.of(Status.INVALID);
                if (!CandmCodec.addSourceNameTerminated(in, length)) yield Result.of(Status.INVALID_NAME);
                yield Result.of(target.addSource(a));
            }
            case Command.Unknown u -> Result.of(Status.INVALID);
        };
    }

    /** ADD_SOURCE flag bits (prefer 0x8, noselect 0x10, trust 0x20, require 0x40) to selection bits (1, 2, 4, 8). */
    static int selectOptionsFromAddSourceFlags(int flags) {
        return ((flags & Command.AddSource.FLAG_NOSELECT) != 0 ? 1 : 0) | ((flags & Command.AddSource.FLAG_PREFER) != 0 ? 2 : 0)
                | ((flags & Command.AddSource.FLAG_TRUST) != 0 ? 4 : 0) | ((flags & Command.AddSource.FLAG_REQUIRE) != 0 ? 8 : 0);
    }

    private Result noData(int code, int length, long now) {
        return switch (code) {
            case REQ_NULL -> Result.of(Status.SUCCESS);
            case REQ_N_SOURCES -> Result.ok(new ReplyBody.NSources(target.sourceCount()));
            case REQ_TRACKING -> Result.ok(new ReplyBody.Tracking(target.tracking()));
            case REQ_ACTIVITY -> Result.ok(new ReplyBody.Activity(target.activity()));
            case REQ_RTCREPORT -> Result.okOr(target.rtc().map(ReplyBody.Rtc::new), Status.NO_RTC);
            case REQ_SMOOTHING -> Result.okOr(target.smoothing(now).map(ReplyBody.Smoothing::new), Status.NOT_ENABLED);
            case REQ_MANUAL_LIST -> Result.ok(new ReplyBody.ManualList(target.manualSamples()));
            case REQ_SERVER_STATS -> Result.ok(new ReplyBody.ServerStats(target.serverStats(),
                    length >= requestLengthNew(REQ_SERVER_STATS)));
            case REQ_ONOFFLINE -> Result.of(target.onOffline());
            default -> {
                SimpleCommand c = SimpleCommand.of(code);
                yield c == null ? Result.of(Status.FAILED) : Result.of(target.simple(c, now));
            }
        };
    }

    private Result intArg(Command.IntArg a, long now) {
        return switch (a.code()) {
            case REQ_SOURCE_DATA -> Result.okOr(target.source(a.value(), now).map(ReplyBody.Source::new), Status.NO_SUCH_SOURCE);
            case REQ_SOURCESTATS -> Result.okOr(target.sourceStats(a.value(), now).map(ReplyBody.SourceStats::new),
                    Status.NO_SUCH_SOURCE);
            case REQ_SELECT_DATA -> Result.okOr(target.selectData(a.value(), now).map(ReplyBody.SelectData::new),
                    Status.NO_SUCH_SOURCE);
            case REQ_MANUAL -> a.value() >= 0 && a.value() <= 2 ? Result.of(target.manual(a.value())) : Result.of(Status.INVALID);
            case REQ_MANUAL_DELETE -> Result.of(target.manualDelete(a.value()));
            case REQ_SMOOTHTIME -> Result.of(target.smoothtime(a.value(), now));
            default -> Result.of(target.simple(SimpleCommand.DUMP, now));
        };
    }

    private Result address(Command.Address a, int length) {
        return switch (a.code()) {
            case REQ_DEL_SOURCE -> Result.of(target.deleteSource(a.address()));
            case REQ_ACCHECK -> Result.of(target.accessCheck(false, a.address()));
            case REQ_CMDACCHECK -> Result.of(target.accessCheck(true, a.address()));
            case REQ_NTP_DATA -> Result.okOr(target.ntpData(a.address())
                    .map(r -> new ReplyBody.NtpData(r, length >= requestLengthNew(REQ_NTP_DATA))), Status.NO_SUCH_SOURCE);
            case REQ_NTP_SOURCE_NAME -> Result.okOr(target.sourceName(a.address()).map(ReplyBody.SourceName::new),
                    Status.NO_SUCH_SOURCE);
            default -> Result.okOr(target.authData(a.address()).map(ReplyBody.AuthData::new), Status.NO_SUCH_SOURCE);
        };
    }

    private static int send(int command, int sequence, Status status, ReplyBody body, int requestLength, byte[] out) {
        ReplyBody sent = status == Status.SUCCESS || status == Status.ACCESS_ALLOWED || status == Status.ACCESS_DENIED
                ? body : new ReplyBody.Empty();
        int replyCode = CandmCodec.replyCode(sent);
        if (replyLength(replyCode) > requestLength) {
            log.debug("Reply longer than request ({} > {})", replyLength(replyCode), requestLength);
            return 0;
        }
        return CandmCodec.encodeReply(new CandmCodec.Reply(PROTO_VERSION, command, replyCode, status.code(), sequence, sent), out);
    }
}
