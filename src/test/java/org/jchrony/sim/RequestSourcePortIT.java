package org.jchrony.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jchrony.it.RunningJchronyd;
import org.jchrony.testutil.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * Source ports of jchronyd's requests, as chronyd sends them: each request from a new socket with
 * a random port (RFC 9109) unless {@code acquisitionport} fixes one. A plain UDP socket plays the
 * server and only records where the requests come from.
 */
class RequestSourcePortIT {

    private static List<Integer> requestPorts(List<String> extraLines, int count) throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            List<String> conf = new ArrayList<>(extraLines);
            conf.add("server 127.0.0.1 port " + server.getLocalPort() + " iburst minpoll -4 maxpoll -4");
            List<Integer> ports = new ArrayList<>();
            try (RunningJchronyd j = RunningJchronyd.start(conf)) {
                byte[] buf = new byte[512];
                while (ports.size() < count) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        server.receive(p);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("no request from jchronyd: " + j.log(), e);
                    }
                    if (p.getLength() >= 48) ports.add(p.getPort());
                }
            }
            return ports;
        }
    }

    @Test
    void consecutiveRequestsLeaveFromDifferentPorts() throws Exception {
        List<Integer> ports = requestPorts(List.of(), 4);
        for (int i = 1; i < ports.size(); i++) {
            assertThat(ports.get(i)).as("ports %s", ports).isNotEqualTo(ports.get(i - 1));
        }
    }

    @Test
    void acquisitionportFixesTheSourcePort() throws Exception {
        int acq = FreePorts.udp();
        List<Integer> ports = requestPorts(List.of("acquisitionport " + acq), 3);
        assertThat(new HashSet<>(ports)).containsExactly(acq);
    }
}
