package org.jchrony.cmdmon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link CommandTarget} holding plain report values, for tests: set the fields, the handler
 * serves them. Control operations are recorded in {@link #calls} and answer {@link #controlStatus}.
 */
public final class InMemoryTarget implements CommandTarget {
    public final List<SourceReport> sources = new ArrayList<>();
    public final List<SourceStatsReport> sourceStats = new ArrayList<>();
    public final List<SelectDataReport> selectData = new ArrayList<>();
    public final List<NtpDataReport> ntpData = new ArrayList<>();
    public final List<AuthDataReport> authData = new ArrayList<>();
    public final List<String> names = new ArrayList<>();
    public final List<ManualSample> manual = new ArrayList<>();
    public final List<ClientAccessReport> clients = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();
    public TrackingReport tracking = new TrackingReport(0, IpAddr.UNSPECIFIED, 0, 3, Timespec.ZERO, 0, 0, 0, 0, 0, 0, 1, 1, 0);
    public ActivityReport activity = new ActivityReport(0, 0, 0, 0, 0);
    public ServerStatsReport serverStats = ServerStatsReport.v3(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    public SmoothingReport smoothing;
    public RtcReport rtc;
    public boolean clientLog = true;
    public Status controlStatus = Status.SUCCESS;
    public ManualTimestamp settime;
    public boolean admitRemote = true;
    public int accessesLogged;

    @Override
    public boolean logCommandAccess(org.jchrony.server.PeerAddress peer, boolean localhost, long now) {
        accessesLogged++;
        return admitRemote;
    }

    private int indexOf(IpAddr a) {
        for (int i = 0; i < sources.size(); i++) if (sources.get(i).address().equals(a)) return i;
        return -1;
    }

    private static <T> Optional<T> at(List<T> l, int i) {
        return i >= 0 && i < l.size() ? Optional.ofNullable(l.get(i)) : Optional.empty();
    }

    @Override public int sourceCount() { return sources.size(); }
    @Override public Optional<SourceReport> source(int index, long now) { return at(sources, index); }
    @Override public Optional<SourceStatsReport> sourceStats(int index, long now) { return at(sourceStats, index); }
    @Override public Optional<SelectDataReport> selectData(int index, long now) { return at(selectData, index); }
    @Override public TrackingReport tracking() { return tracking; }
    @Override public ActivityReport activity() { return activity; }
    @Override public ServerStatsReport serverStats() { return serverStats; }
    @Override public Optional<NtpDataReport> ntpData(IpAddr remote) {
        return ntpData.stream().filter(d -> d.remoteAddress().equals(remote)).findFirst();
    }
    @Override public Optional<String> sourceName(IpAddr address) { return at(names, indexOf(address)); }
    @Override public Optional<AuthDataReport> authData(IpAddr address) { return at(authData, indexOf(address)); }
    @Override public Optional<SmoothingReport> smoothing(long now) { return Optional.ofNullable(smoothing); }
    @Override public Optional<RtcReport> rtc() { return Optional.ofNullable(rtc); }
    @Override public List<ManualSample> manualSamples() { return manual; }

    @Override
    public Optional<ClientAccessPage> clientAccesses(long first, int max, long minHits, boolean reset, long now) {
        if (!clientLog) return Optional.empty();
        List<ClientAccessReport> page = new ArrayList<>();
        long i = first;
        for (; i < clients.size() && page.size() < max; i++) {
            ClientAccessReport c = clients.get((int) i);
            if (c.ntpHits() + c.cmdHits() + c.nkeHits() >= minHits) page.add(c);
        }
        return Optional.of(new ClientAccessPage(clients.size(), i, page));
    }

    private Status call(String s) {
        calls.add(s);
        return controlStatus;
    }

    @Override public Status setConnectivity(IpAddr mask, IpAddr address, boolean online) {
        return call((online ? "online " : "offline ") + mask + "/" + address);
    }
    @Override public Status onOffline() { return call("onoffline"); }
    @Override public Status burst(IpAddr mask, IpAddr address, int good, int total) {
        return call("burst " + good + "/" + total + " " + mask + "/" + address);
    }
    @Override public Status modifySource(SourceParameter p, IpAddr address, double value) {
        calls.add(p + " " + address + " " + value);
        return indexOf(address) >= 0 ? controlStatus : Status.NO_SUCH_SOURCE;
    }
    @Override public Status modifySelectOptions(IpAddr address, int refId, int mask, int options) { return call("selectopts " + address + " " + refId + " " + mask + " " + options); }
    @Override public Status modifyOffset(IpAddr address, int refId, double offset) { return call("offset " + address + " " + offset); }
    @Override public Status modifyMaxUpdateSkew(double skew) { return call("maxupdateskew " + skew); }
    @Override public Status modifyMakestep(int limit, double threshold) { return call("makestep " + threshold + " " + limit); }
    @Override public Status simple(SimpleCommand c, long now) {
        if ((c == SimpleCommand.WRITERTC || c == SimpleCommand.TRIMRTC) && rtc == null) {
            calls.add(c.toString());
            return Status.NO_RTC;
        }
        return call(c.toString());
    }
    @Override public Status reselectDistance(double d) { return call("reselectdist " + d); }
    @Override public Status local(boolean on, int stratum, double distance, boolean orphan, double a, double ws, double wu) {
        return call("local " + on + " " + stratum + " " + distance + " " + orphan);
    }
    @Override public Status manual(int option) { return call("manual " + option); }
    @Override public Status manualDelete(int index) { return call("manual delete " + index); }
    @Override public SettimeResult settime(Timespec time) {
        calls.add("settime " + time.epochSeconds());
        return settime == null ? new SettimeResult(Status.NOT_ENABLED, null) : new SettimeResult(Status.SUCCESS, settime);
    }
    @Override public Status smoothtime(int option, long now) {
        calls.add("smoothtime " + option);
        return smoothing == null ? Status.NOT_ENABLED : option == 0 || option == 1 ? Status.SUCCESS : Status.INVALID;
    }
    @Override public Status allowDeny(boolean cmd, boolean allow, boolean all, IpAddr address, int bits) {
        return call((cmd ? "cmd" : "") + (allow ? "allow" : "deny") + (all ? " all " : " ") + address + "/" + bits);
    }
    @Override public Status accessCheck(boolean cmd, IpAddr address) {
        calls.add((cmd ? "cmdaccheck " : "accheck ") + address);
        return address.family() == IpAddr.INET4 && (address.inet4() >>> 24) == 127 ? Status.ACCESS_ALLOWED : Status.ACCESS_DENIED;
    }
    @Override public Status addSource(Command.AddSource r) { return call("add " + r.type() + " " + r.name() + " " + r.port()); }
    @Override public Status deleteSource(IpAddr address) {
        calls.add("delete " + address);
        return indexOf(address) >= 0 ? controlStatus : Status.NO_SUCH_SOURCE;
    }
    @Override public Status dfreq(double ppm) { return call("dfreq " + ppm); }
    @Override public Status doffset(double s) { return call("doffset " + s); }
}
