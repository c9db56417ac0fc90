package org.jchrony.cmdmon;

import static org.jchrony.cmdmon.Candm.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.jchrony.client.CandmClient;

/**
 * A {@link CommandTarget} that answers from a real chronyd: each query or control operation is
 * forwarded over chronyd's Unix socket and its report or status returned. Lets tests put our
 * {@link CommandHandler} between Debian's chronyc and real daemon state.
 */
final class MirrorTarget implements CommandTarget {
    private final CandmClient client;

    MirrorTarget(CandmClient client) {
        this.client = client;
    }

    private CandmCodec.Reply ask(Command c) {
        try {
            CandmCodec.Reply r = client.request(c);
            if (r == null) throw new IllegalStateException("chronyd did not answer " + c);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Status status(Command c) {
        return Status.of(ask(c).status());
    }

    @SuppressWarnings("unchecked")
    private <T extends ReplyBody> Optional<T> body(Command c) {
        CandmCodec.Reply r = ask(c);
        return r.status() == 0 ? Optional.of((T) r.body()) : Optional.empty();
    }

    @Override public int sourceCount() {
        return (int) ((ReplyBody.NSources) ask(new Command.NoData(REQ_N_SOURCES)).body()).count();
    }
    @Override public Optional<SourceReport> source(int i, long now) {
        return this.<ReplyBody.Source>body(new Command.IntArg(REQ_SOURCE_DATA, i)).map(ReplyBody.Source::report);
    }
    @Override public Optional<SourceStatsReport> sourceStats(int i, long now) {
        return this.<ReplyBody.SourceStats>body(new Command.IntArg(REQ_SOURCESTATS, i)).map(ReplyBody.SourceStats::report);
    }
    @Override public Optional<SelectDataReport> selectData(int i, long now) {
        return this.<ReplyBody.SelectData>body(new Command.IntArg(REQ_SELECT_DATA, i)).map(ReplyBody.SelectData::report);
    }
    @Override public TrackingReport tracking() {
        return ((ReplyBody.Tracking) ask(new Command.NoData(REQ_TRACKING)).body()).report();
    }
    @Override public ActivityReport activity() {
        return ((ReplyBody.Activity) ask(new Command.NoData(REQ_ACTIVITY)).body()).report();
    }
    @Override public ServerStatsReport serverStats() {
        return ((ReplyBody.ServerStats) ask(new Command.NoData(REQ_SERVER_STATS)).body()).report();
    }
    @Override public Optional<NtpDataReport> ntpData(IpAddr remote) {
        return this.<ReplyBody.NtpData>body(new Command.Address(REQ_NTP_DATA, remote)).map(ReplyBody.NtpData::report);
    }
    @Override public Optional<String> sourceName(IpAddr a) {
        return this.<ReplyBody.SourceName>body(new Command.Address(REQ_NTP_SOURCE_NAME, a)).map(ReplyBody.SourceName::name);
    }
    @Override public Optional<AuthDataReport> authData(IpAddr a) {
        return this.<ReplyBody.AuthData>body(new Command.Address(REQ_AUTH_DATA, a)).map(ReplyBody.AuthData::report);
    }
    @Override public Optional<SmoothingReport> smoothing(long now) {
        return this.<ReplyBody.Smoothing>body(new Command.NoData(REQ_SMOOTHING)).map(ReplyBody.Smoothing::report);
    }
    @Override public Optional<RtcReport> rtc() {
        return this.<ReplyBody.Rtc>body(new Command.NoData(REQ_RTCREPORT)).map(ReplyBody.Rtc::report);
    }
    @Override public List<ManualSample> manualSamples() {
        return ((ReplyBody.ManualList) ask(new Command.NoData(REQ_MANUAL_LIST)).body()).samples();
    }
    @Override public Optional<ClientAccessPage> clientAccesses(long first, int max, long minHits, boolean reset, long now) {
        return this.<ReplyBody.ClientAccesses>body(new Command.ClientAccesses((int) first, max, (int) minHits, reset))
                .map(ReplyBody.ClientAccesses::page);
    }
    @Override public Status setConnectivity(IpAddr mask, IpAddr address, boolean online) {
        return status(new Command.Connectivity(online ? REQ_ONLINE : REQ_OFFLINE, mask, address));
    }
    @Override public Status onOffline() { return status(new Command.NoData(REQ_ONOFFLINE)); }
    @Override public Status burst(IpAddr mask, IpAddr address, int good, int total) {
        return status(new Command.Burst(mask, address, good, total));
    }
    @Override public Status modifySource(SourceParameter p, IpAddr a, double v) {
        return status(switch (p) {
            case MINPOLL, MAXPOLL, MINSTRATUM, POLLTARGET -> new Command.AddressInt(p.requestCode(), a, (int) v);
            case MAXDELAY, MAXDELAYRATIO, MAXDELAYDEVRATIO -> new Command.AddressFloat(p.requestCode(), a, v);
        });
    }
    @Override public Status modifySelectOptions(IpAddr a, int refId, int mask, int options) {
        return status(new Command.ModifySelectOpts(a, refId, mask, options));
    }
    @Override public Status modifyOffset(IpAddr a, int refId, double offset) { return status(new Command.ModifyOffset(a, refId, offset)); }
    @Override public Status modifyMaxUpdateSkew(double skew) { return status(new Command.FloatArg(REQ_MODIFY_MAXUPDATESKEW, skew)); }
    @Override public Status modifyMakestep(int limit, double threshold) { return status(new Command.ModifyMakestep(limit, threshold)); }
    @Override public Status simple(SimpleCommand c, long now) {
        return status(c == SimpleCommand.DUMP ? new Command.IntArg(REQ_DUMP, 0) : new Command.NoData(c.requestCode()));
    }
    @Override public Status reselectDistance(double d) { return status(new Command.FloatArg(REQ_RESELECTDISTANCE, d)); }
    @Override public Status local(boolean on, int stratum, double distance, boolean orphan, double a, double ws, double wu) {
        return status(new Command.Local(REQ_LOCAL2, on, stratum, distance, orphan, 0, 0, 0));
    }
    @Override public Status manual(int option) { return status(new Command.IntArg(REQ_MANUAL, option)); }
    @Override public Status manualDelete(int index) { return status(new Command.IntArg(REQ_MANUAL_DELETE, index)); }
    @Override public SettimeResult settime(Timespec time) {
        CandmCodec.Reply r = ask(new Command.Settime(time));
        return r.status() == 0 ? new SettimeResult(Status.SUCCESS, ((ReplyBody.ManualTimestamp2) r.body()).result())
                : new SettimeResult(Status.of(r.status()), null);
    }
    @Override public Status smoothtime(int option, long now) { return status(new Command.IntArg(REQ_SMOOTHTIME, option)); }
    @Override public Status allowDeny(boolean cmd, boolean allow, boolean all, IpAddr a, int bits) {
        int code = cmd ? (allow ? (all ? REQ_CMDALLOWALL : REQ_CMDALLOW) : (all ? REQ_CMDDENYALL : REQ_CMDDENY))
                : (allow ? (all ? REQ_ALLOWALL : REQ_ALLOW) : (all ? REQ_DENYALL : REQ_DENY));
        return status(new Command.AllowDeny(code, a, bits));
    }
    @Override public Status accessCheck(boolean cmd, IpAddr a) { return status(new Command.Address(cmd ? REQ_CMDACCHECK : REQ_ACCHECK, a)); }
    @Override public Status addSource(Command.AddSource r) { return status(r); }
    @Override public Status deleteSource(IpAddr a) { return status(new Command.Address(REQ_DEL_SOURCE, a)); }
    @Override public Status dfreq(double ppm) { return status(new Command.FloatArg(REQ_DFREQ, ppm)); }
    @Override public Status doffset(double s) { return status(new Command.FloatArg(REQ_DOFFSET2, s)); }
}
