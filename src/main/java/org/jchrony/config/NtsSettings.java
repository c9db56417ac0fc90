package org.jchrony.config;

import java.util.List;
import java.util.Optional;

/**
 * Effective NTS client/server settings (chrony.conf(5) 4.8 NTS directives) with chronyd's
 * defaults. jchronyd does not implement NTS yet; these are parsed so a configuration using
 * them keeps working and the daemon can warn.
 */
public record NtsSettings(
        List<Integer> aeads,
        Optional<String> dumpDir,
        Optional<String> ntpServer,
        List<String> serverCertFiles,
        List<String> serverKeyFiles,
        int port,
        int processes,
        int maxConnections,
        int refreshSeconds,
        int rotateSeconds,
        List<Directive.NtsTrustedCerts> trustedCerts,
        int noCertTimeCheckUpdates,
        boolean noSystemCert) {
    public NtsSettings {
        aeads = List.copyOf(aeads);
        serverCertFiles = List.copyOf(serverCertFiles);
        serverKeyFiles = List.copyOf(serverKeyFiles);
        trustedCerts = List.copyOf(trustedCerts);
    }
}
