package dev.drover.internal;

import dev.drover.Worker;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import javax.net.ssl.SSLException;

/** TLS contexts from the PEM files a Worker names. */
final class Tls {
    private Tls() {}

    /** Whether {@code cause} is TLS failing (no TLS record, a handshake refused), not what the connection carries. */
    static boolean failed(Throwable cause) {
        return cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException;
    }

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
