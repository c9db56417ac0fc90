package org.jchrony.cmdmon;

import org.jchrony.client.CandmClient;

/** Test access to {@link MirrorTarget} from other packages. */
public final class MirrorTargetAccess {
    private MirrorTargetAccess() {}

    public static CommandTarget create(CandmClient client) {
        return new MirrorTarget(client);
    }
}
