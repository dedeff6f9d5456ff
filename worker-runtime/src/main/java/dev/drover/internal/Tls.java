package dev.drover.internal;

import dev.drover.Worker;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** TLS contexts from the PEM files a Worker names. */
final class Tls {
    /** The JDK's switch for renegotiation a client starts (TLS 1.2): each one is a whole handshake on the worker's loop. */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private Tls() {}

    /** Whether {@code cause} is TLS failing (no TLS record, a handshake refused), not what the connection carries. */
    static boolean failed(Throwable cause) {
        return cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException;
    }

    /**
     * The server context of {@code worker}'s certificate chain and key. A client may not start a
     * renegotiation (as nginx and OpenSSL refuse it) unless the JVM was told otherwise with
     * {@code -Djdk.tls.rejectClientInitiatedRenegotiation=false}.
     */
    static Function<Channel, ChannelHandler> server(Worker worker) {
        if (worker.getSslCertificate() == null) {
            throw new BadSetting("worker " + worker.getName() + " has transport ssl but no certificate: call "
                    + "setSslCertificate(certificatePem, privateKeyPem)");
        }
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true"); // read as the JDK's first server handshake begins, after this
        }
        X509Certificate[] clientCas = worker.getSslClientCa() == null ? null : clientCas(worker);
        SslContext fallback = context(worker, worker.getSslCertificate(), worker.getSslKey(), clientCas);
        if (worker.getSslCertificatesByHost().isEmpty()) {
            return channel -> fallback.newHandler(channel.alloc());
        }
        DomainWildcardMappingBuilder<SslContext> byName = new DomainWildcardMappingBuilder<>(fallback);
        worker.getSslCertificatesByHost().forEach((host, files) -> byName.add(host, context(worker, files.get(0), files.get(1), clientCas)));
        Mapping<String, SslContext> mapping = byName.build();
        return channel -> new SniHandler(mapping); // replaced by the chosen certificate's SslHandler once the client said its name
    }

    /**
     * https and wss say in the handshake (ALPN) that they speak HTTP/1.1, as nginx does: a client
     * that speaks HTTP/2 only is refused there (no_application_protocol), rather than sending its
     * HTTP/2 preface to get a 505. Other protocols say nothing.
     */
    private static ApplicationProtocolConfig alpn(Worker worker) {
        String protocol = worker.getListenAddress() == null ? "" : worker.getListenAddress().protocol();
        return !protocol.equals("http") && !protocol.equals("websocket") ? ApplicationProtocolConfig.DISABLED
                : new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1);
    }

    /** The name of the handler a TLS listener's connections begin with (an SslHandler, or an SniHandler that becomes one). */
    static final String HANDLER = "tls";

    /**
     * Whether connections of {@code pipeline} are TLS ones (its handshake done, or still to come).
     * By name and by class, never by SniHandler's class: every HTTP connection asks, and the class
     * (with its own) would be loaded into every worker; nor does this class keep state of its own to
     * set up as it is first used.
     */
    static boolean on(ChannelPipeline pipeline) {
        return pipeline.get(HANDLER) != null || pipeline.get(SslHandler.class) != null;
    }

    /**
     * The certificate the client of {@code pipeline} showed in its finished handshake
     * ({@link Worker#setSslVerifyClient}), checked against the CAs given; empty for one that showed
     * none, before the handshake ends, or without TLS.
     */
    static Optional<X509Certificate> peerCertificate(ChannelPipeline pipeline) {
        SslHandler tls = pipeline.get(SslHandler.class);
        if (tls == null || !tls.handshakeFuture().isSuccess()) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate first ? Optional.of(first) : Optional.empty();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
    }

    /** A context for {@code certificateFile} and {@code keyFile}, checking clients' certificates against {@code clientCas} (null: none asked). */
    private static SslContext context(Worker worker, Path certificateFile, Path keyFile, X509Certificate[] clientCas) {
        List<X509Certificate> chain = certificates(worker, certificateFile, keyFile);
        warnIfExpiring(worker, certificateFile, chain.get(0));
        PrivateKey key = key(worker, keyFile, chain.get(0).getPublicKey().getAlgorithm());
        if (!keyMatches(chain.get(0).getPublicKey(), key)) {
            throw new BadSetting("worker " + worker.getName() + ": the key " + keyFile + " is not the one the certificate "
                    + certificateFile + " was made for (setSslCertificate): every TLS handshake would fail");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain).applicationProtocolConfig(alpn(worker));
            if (clientCas != null) {
                builder.trustManager(clientCas).clientAuth(worker.isSslClientRequired() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new BadSetting("worker " + worker.getName() + ": cannot serve TLS with the certificate " + certificateFile
                    + " and key " + keyFile + ": " + Causes.why(e), e);
        }
    }

    /** The certificates of {@code file}, the server's first (then its chain, as the CA gave it). */
    private static List<X509Certificate> certificates(Worker worker, Path file, Path keyFile) {
        String text = read(worker, file, "certificate");
        List<X509Certificate> chain = parse(worker, file, text);
        if (chain.isEmpty()) {
            boolean swapped = text.contains("PRIVATE KEY-----");
            throw new BadSetting("worker " + worker.getName() + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
                    + (swapped ? ": it holds a private key; setSslCertificate takes the certificate first, then the key (" + keyFile + ")" : ""));
        }
        return chain;
    }

    /** The PEM certificates in {@code text}, {@code file}'s. */
    private static List<X509Certificate> parse(Worker worker, Path file, String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (String block : PemKeys.blocks(text, "CERTIFICATE")) { // only these: a file may hold the key too, as some tools write one
                certificates.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(block.getBytes(StandardCharsets.ISO_8859_1))));
            }
        } catch (CertificateException e) {
            throw new BadSetting("worker " + worker.getName() + ": a certificate in " + file + " cannot be read: " + Causes.why(e), e);
        }
        return certificates;
    }

    private static final String CLIENT_CA = "client CA";

    /** The CA certificates of setSslVerifyClient's file. */
    private static X509Certificate[] clientCas(Worker worker) {
        Path file = worker.getSslClientCa();
        List<X509Certificate> cas = parse(worker, file, read(worker, file, CLIENT_CA));
        if (cas.isEmpty()) {
            throw new BadSetting("worker " + worker.getName() + ": " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----):"
                    + " setSslVerifyClient takes the CA certificates that sign the clients' certificates");
        }
        return cas.toArray(X509Certificate[]::new);
    }

    /** Days before its end from which a certificate is warned of as each worker starts. */
    static final int EXPIRY_WARNING_DAYS = 14;

    /**
     * Logs, as the group's worker id 0 starts, that {@code certificate} has expired (clients refuse it), is not
     * valid yet, or ends within {@link #EXPIRY_WARNING_DAYS} days: it serves on, as nginx does, but
     * nginx says nothing.
     */
    private static void warnIfExpiring(Worker worker, Path file, X509Certificate certificate) {
        Instant now = Instant.now();
        Instant end = certificate.getNotAfter().toInstant();
        String subject = certificate.getSubjectX500Principal().getName();
        String warning = null;
        if (end.isBefore(now)) {
            warning = "expired on " + end + ": clients refuse it; renew it";
        } else if (certificate.getNotBefore().toInstant().isAfter(now)) {
            warning = "is not valid before " + certificate.getNotBefore().toInstant() + ": clients refuse it until then (is this clock right?)";
        } else if (end.isBefore(now.plus(Duration.ofDays(EXPIRY_WARNING_DAYS)))) {
            warning = "expires on " + end + ": renew it";
        }
        if (warning != null && worker.getId() <= 0) { // once for the group, by its worker id 0, at each of its starts
            Worker.log("the TLS certificate " + file + " (" + subject + ") " + warning); // the line names the worker
        }
    }

    private static PrivateKey key(Worker worker, Path file, String algorithm) {
        String text = read(worker, file, "key");
        try {
            return PemKeys.read(text, algorithm, worker.getSslKeyPassphrase());
        } catch (PemKeys.Refused refused) {
            throw new BadSetting("worker " + worker.getName() + ": cannot read the key " + file + ": "
                    + refused.getMessage().replace("{file}", file.toString()));
        } catch (GeneralSecurityException e) {
            throw new BadSetting("worker " + worker.getName() + ": cannot read the key " + file + " as a " + algorithm
                    + " key (the certificate's kind): " + Causes.why(e), e);
        }
    }

    /** The text of a PEM file, or why it cannot be read: missing, or not readable by this worker's user. */
    private static String read(Worker worker, Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new BadSetting("worker " + worker.getName() + ": the " + what + " file " + file + " does not exist"
                    + (what.equals(CLIENT_CA) ? " (setSslVerifyClient)" : " (setSslCertificate)"));
        } catch (AccessDeniedException e) {
            throw new BadSetting("worker " + worker.getName() + ": the " + what + " file " + file + " is not readable by user "
                    + System.getProperty("user.name") + " (the worker's: setUser); let that user read it");
        } catch (IOException e) {
            throw new BadSetting("worker " + worker.getName() + ": cannot read the " + what + " file " + file + ": " + e, e);
        }
    }

    /**
     * Whether {@code key} signs what {@code certified} verifies. Netty takes a key of another pair
     * without a word, and then fails every handshake.
     */
    static boolean keyMatches(PublicKey certified, PrivateKey key) {
        String algorithm = switch (certified.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA"; // the key's own curve
            default -> null;
        };
        if (algorithm == null) {
            return true; // a kind this does not check: left to the handshake
        }
        try {
            byte[] probe = "drover".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (InvalidKeyException otherAlgorithm) {
            return false; // an EC key for an RSA certificate, say
        } catch (GeneralSecurityException unchecked) {
            return true;
        }
    }
}
