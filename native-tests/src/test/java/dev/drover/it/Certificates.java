package dev.drover.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/** Self-signed certificates, an authority and certificates it signs, made with openssl; clients that trust them and show one. */
final class Certificates {
    private Certificates() {}

    /** {certificate PEM, PKCS#8 key PEM} in {@code dir}. */
    static Path[] selfSigned(Path dir) {
        return selfSigned(dir, "", "localhost", "IP:127.0.0.1,IP:::1,DNS:localhost");
    }

    /** {certificate PEM, PKCS#8 key PEM} in {@code dir}, their names starting with {@code prefix}, for {@code commonName} and {@code names}. */
    static Path[] selfSigned(Path dir, String prefix, String commonName, String names) {
        Path cert = dir.resolve(prefix + "cert.pem");
        Path key = dir.resolve(prefix + "key.pem");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + commonName, "-addext", "subjectAltName=" + names,
                "-keyout", key.toString(), "-out", cert.toString());
        return new Path[] {cert, key};
    }

    /** {certificate PEM, key PEM} of a certificate authority, in {@code dir}, named {@code prefix}... */
    static Path[] authority(Path dir, String prefix) {
        Path cert = dir.resolve(prefix + "cert.pem");
        Path key = dir.resolve(prefix + "key.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + prefix + "authority",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                "-keyout", key.toString(), "-out", cert.toString());
        return new Path[] {cert, key};
    }

    /** {certificate PEM, key PEM} in {@code dir} for {@code commonName}, signed by the authority {@code ca}. */
    static Path[] signedBy(Path dir, String prefix, String commonName, Path[] ca) {
        Path request = dir.resolve(prefix + "request.pem");
        Path cert = dir.resolve(prefix + "cert.pem");
        Path key = dir.resolve(prefix + "key.pem");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=" + commonName,
                "-keyout", key.toString(), "-out", request.toString());
        openssl("x509", "-req", "-in", request.toString(), "-CA", ca[0].toString(), "-CAkey", ca[1].toString(), "-CAcreateserial",
                "-days", "2", "-out", cert.toString());
        return new Path[] {cert, key};
    }

    private static void openssl(String... arguments) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("openssl"));
        command.addAll(java.util.List.of(arguments));
        Processes.Ran openssl = Processes.run(command.toArray(String[]::new));
        if (openssl.code() != 0) {
            throw new AssertionError(command + " exited with status " + openssl.code() + ": " + openssl.output());
        }
    }

    static SSLContext trusting(Path certificate) throws Exception {
        return client(certificate, null);
    }

    /**
     * A client that trusts {@code certificate} and shows {@code identity} ({certificate PEM, key
     * PEM}; null: none) to every server that asks, whoever the server says may sign it.
     */
    static SSLContext client(Path certificate, Path[] identity) throws Exception {
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(certificate)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("drover-test", x509);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(identity == null ? null : new KeyManager[] {shown(identity)}, factory.getTrustManagers(), null);
        return context;
    }

    private static X509KeyManager shown(Path[] identity) throws Exception {
        Path p12 = identity[0].resolveSibling(identity[0].getFileName() + ".p12");
        openssl("pkcs12", "-export", "-in", identity[0].toString(), "-inkey", identity[1].toString(), "-name", "me", "-passout", "pass:test",
                "-out", p12.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            keys.load(in, "test".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
        factory.init(keys, "test".toCharArray());
        X509KeyManager own = (X509KeyManager) factory.getKeyManagers()[0];
        return new X509ExtendedKeyManager() { // "me", even to a server that names other authorities
            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return "me";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return "me";
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return own.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return own.getPrivateKey(alias);
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"me"};
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }
        };
    }
}
