package dev.drover.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A self-signed certificate for 127.0.0.1, ::1 and localhost, made with openssl, and a client that trusts it. */
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
        Processes.Ran openssl = Processes.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=" + commonName, "-addext", "subjectAltName=" + names,
                "-keyout", key.toString(), "-out", cert.toString());
        if (openssl.code() != 0) {
            throw new AssertionError("openssl exited with status " + openssl.code() + ": " + openssl.output());
        }
        return new Path[] {cert, key};
    }

    static SSLContext trusting(Path certificate) throws Exception {
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
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
