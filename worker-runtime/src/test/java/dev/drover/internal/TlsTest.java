package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate and a key of another pair are told apart before a worker serves TLS with them. */
class TlsTest {

    @Test
    void aKeyOfAnotherPairIsNoMatch(@TempDir Path dir) throws Exception {
        Path[] rsa = selfSigned(dir, "rsa", "rsa:2048");
        Path[] otherRsa = selfSigned(dir, "other", "rsa:2048");
        Path[] ec = selfSigned(dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        assertTrue(Tls.keyMatches(rsa[0], rsa[1]));
        assertTrue(Tls.keyMatches(ec[0], ec[1]));
        assertFalse(Tls.keyMatches(rsa[0], otherRsa[1]), "another RSA pair's key");
        assertFalse(Tls.keyMatches(rsa[0], ec[1]), "an EC key for an RSA certificate");
    }

    /** {certificate, PKCS#8 key} made by openssl in {@code dir}, named by {@code name}. */
    private static Path[] selfSigned(Path dir, String name, String... keyOptions) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-keyout", key.toString(), "-out", cert.toString(), "-newkey"));
        command.addAll(List.of(keyOptions));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), "openssl: " + output);
        return new Path[] {cert, key};
    }
}
