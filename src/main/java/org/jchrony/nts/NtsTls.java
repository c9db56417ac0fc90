package org.jchrony.nts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for NTS-KE with the JDK's provider, as chronyd sets up GnuTLS: TLS 1.3 only, ALPN
 * {@value #ALPN}; the server's certificate chains and keys from PEM files ({@code ntsservercert},
 * {@code ntsserverkey}: PKCS#8 keys of any JDK algorithm, or PKCS#1 RSA keys); the client trusts
 * the CAs of {@code ntstrustedcerts} (PEM files, or directories of them) plus the system's
 * ({@code nosystemcert} drops those) and checks the server's name (DNS or IP subject alt name).
 */
public final class NtsTls {
    public static final String ALPN = "ntske/1";
    public static final String PROTOCOL = "TLSv1.3";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private NtsTls() {}

    /** The server context from certificate-chain and key files (pairs, in order). */
    public static SSLContext serverContext(List<Path> certFiles, List<Path> keyFiles) throws IOException, GeneralSecurityException {
        if (certFiles.isEmpty() || certFiles.size() != keyFiles.size()) {
            throw new IOException("ntsservercert and ntsserverkey must be given in pairs");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "nts".toCharArray();
        for (int i = 0; i < certFiles.size(); i++) {
            List<X509Certificate> chain = readCertificates(certFiles.get(i));
            if (chain.isEmpty()) throw new IOException("No certificate in " + certFiles.get(i));
            ks.setKeyEntry("nts" + i, readPrivateKey(keyFiles.get(i)), pw, chain.toArray(new Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A server engine: TLS 1.3 only, ALPN {@value #ALPN} only. */
    public static SSLEngine serverEngine(SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setApplicationProtocols(new String[] {ALPN});
        e.setSSLParameters(p);
        return e;
    }

    /**
     * The client context trusting the certificates in {@code trusted} (PEM files or directories
     * of PEM files) and, unless {@code noSystemCert}, the JDK's default CAs.
     */
    public static SSLContext clientContext(List<Path> trusted, boolean noSystemCert) throws IOException, GeneralSecurityException {
        List<X509TrustManager> managers = new ArrayList<>();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int n = 0;
        for (Path t : trusted) {
            List<Path> files = new ArrayList<>();
            if (Files.isDirectory(t)) {
                try (Stream<Path> s = Files.list(t)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else {
                files.add(t);
            }
            for (Path f : files) {
                for (X509Certificate c : readCertificates(f)) ks.setCertificateEntry("ca" + n++, c);
            }
        }
        if (n > 0) managers.add(trustManager(ks));
        if (!noSystemCert) managers.add(trustManager(null));
        SSLContext ctx = SSLContext.getInstance(PROTOCOL);
        ctx.init(null, new TrustManager[] {new AnyOf(managers)}, null);
        return ctx;
    }

    /** A client engine for {@code serverName} (name checked against the certificate), TLS 1.3, ALPN. */
    public static SSLEngine clientEngine(SSLContext ctx, String serverName, int port) {
        SSLEngine e = ctx.createSSLEngine(serverName, port);
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setApplicationProtocols(new String[] {ALPN});
        p.setEndpointIdentificationAlgorithm("HTTPS");
        e.setSSLParameters(p);
        return e;
    }

    private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager m : tmf.getTrustManagers()) if (m instanceof X509TrustManager x) return x;
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Trusts a chain if any of the managers does. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used by NTS-KE");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = new CertificateException("no trusted certificates");
            for (X509TrustManager m : managers) {
                try {
                    m.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> Stream.of(m.getAcceptedIssuers())).toArray(X509Certificate[]::new);
        }
    }

    /** The certificates in a PEM file, in order. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Pem p : pems(file)) {
            if (p.label.equals("CERTIFICATE")) out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(p.der)));
        }
        return out;
    }

    private record Pem(String label, byte[] der) {}

    private static List<Pem> pems(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Pem> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) out.add(new Pem(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        return out;
    }

    /** The first private key in a PEM file: PKCS#8 ("PRIVATE KEY") or PKCS#1 RSA ("RSA PRIVATE KEY"). */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        for (Pem p : pems(file)) {
            switch (p.label) {
                case "PRIVATE KEY" -> {
                    for (String alg : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
                        try {
                            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(p.der));
                        } catch (GeneralSecurityException e) {
                            // try the next algorithm
                        }
                    }
                    throw new GeneralSecurityException("Unsupported private key in " + file);
                }
                case "RSA PRIVATE KEY" -> {
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(wrapPkcs1Rsa(p.der)));
                }
                default -> { }
            }
        }
        throw new IOException("No private key (PKCS#8 or PKCS#1 RSA PEM) in " + file);
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey. */
    private static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(version);
        body.writeBytes(algorithm);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
