package dev.drover.internal;

import dev.drover.Worker;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        for (Path file : new Path[] {worker.getSslCertificate(), worker.getSslKey()}) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("worker " + worker.getName() + ": cannot read " + file + " (setSslCertificate)");
            }
        }
        SslContext context;
        try {
            context = SslContextBuilder.forServer(worker.getSslCertificate().toFile(), worker.getSslKey().toFile()).build();
        } catch (Exception e) {
            throw new IllegalStateException("worker " + worker.getName() + ": cannot load the certificate " + worker.getSslCertificate()
                    + " and key " + worker.getSslKey() + " (PEM, key in PKCS#8; a key in another form converts with: openssl pkcs8 -topk8"
                    + " -nocrypt -in " + worker.getSslKey() + " -out key8.pem): " + e.getMessage(), e);
        }
        if (!keyMatches(worker.getSslCertificate(), worker.getSslKey())) {
            throw new IllegalStateException("worker " + worker.getName() + ": the key " + worker.getSslKey() + " is not the one the certificate "
                    + worker.getSslCertificate() + " was made for (setSslCertificate): every TLS handshake would fail");
        }
        return context;
    }

    /**
     * Whether the private key in {@code keyPem} (unencrypted PKCS#8) signs what the first certificate
     * of {@code certificatePem} verifies. Netty takes a key of another pair without a word, and then
     * fails every handshake. A key in a form this does not read (encrypted) is left to Netty.
     */
    static boolean keyMatches(Path certificatePem, Path keyPem) {
        try {
            PublicKey certified;
            try (InputStream in = Files.newInputStream(certificatePem)) {
                certified = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
            }
            Matcher body = PKCS8.matcher(Files.readString(keyPem, StandardCharsets.US_ASCII));
            String algorithm = switch (certified.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "Ed448", "EdDSA" -> "EdDSA"; // the key's own curve
                default -> null;
            };
            if (!body.find() || algorithm == null) {
                return true;
            }
            PrivateKey key = KeyFactory.getInstance(certified.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body.group(1))));
            byte[] probe = "drover".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (InvalidKeySpecException | InvalidKeyException otherAlgorithm) {
            return false; // an EC key for an RSA certificate, say
        } catch (IOException | GeneralSecurityException | IllegalArgumentException unread) {
            return true;
        }
    }

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");
}
