package org.jchrony.cmdmon;

import java.util.List;

/** One page of the client log: table size, the index after the last one examined, up to 8 clients. */
public record ClientAccessPage(long indices, long nextIndex, List<ClientAccessReport> clients) {
    public ClientAccessPage {
        clients = List.copyOf(clients);
    }
}
