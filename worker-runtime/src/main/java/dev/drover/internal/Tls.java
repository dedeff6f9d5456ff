package dev.drover.internal;

import dev.drover.Worker;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;

/** TLS contexts from the PEM files a Worker names. */
final class Tls {
    private Tls() {}

    static SslContext server(Worker worker) {
        if (worker.getSslCertificate() == null) {
            throw new IllegalStateException("worker " + worker.getName() + " has transport ssl but no certificate: call "
                    + "setSslCertificate(certificatePem, privateKeyPem)");
        }
        for (java.nio.file.Path file : new java.nio.file.Path[] {worker.getSslCertificate(), worker.getSslKey()}) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("worker " + worker.getName() + ": cannot read " + file + " (setSslCertificate)");
            }
        }
        try {
            return SslContextBuilder.forServer(worker.getSslCertificate().toFile(), worker.getSslKey().toFile()).build();
        } catch (Exception e) {
            throw new IllegalStateException("worker " + worker.getName() + ": cannot load the certificate " + worker.getSslCertificate()
                    + " and key " + worker.getSslKey() + " (PEM, key in PKCS#8): " + e.getMessage(), e);
        }
    }
}
