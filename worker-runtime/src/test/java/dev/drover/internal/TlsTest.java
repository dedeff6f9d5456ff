package dev.drover.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate's key, read in the forms the tools write, and told apart from a key of another pair. */
class TlsTest {

    @Test
    void aKeyOfAnotherPairIsNoMatch(@TempDir Path dir) throws Exception {
        Path[] rsa = selfSigned(dir, "rsa", "rsa:2048");
        Path[] otherRsa = selfSigned(dir, "other", "rsa:2048");
        Path[] ec = selfSigned(dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        assertTrue(Tls.keyMatches(publicKey(rsa[0]), key(rsa[1], "RSA")));
        assertTrue(Tls.keyMatches(publicKey(ec[0]), key(ec[1], "EC")));
        assertFalse(Tls.keyMatches(publicKey(rsa[0]), key(otherRsa[1], "RSA")), "another RSA pair's key");
        assertFalse(Tls.keyMatches(publicKey(rsa[0]), key(ec[1], "EC")), "an EC key for an RSA certificate");
    }

    /** PKCS#1 and SEC1, as acme.sh and openssl ecparam write them, are read as the PKCS#8 form of the same key. */
    @Test
    void traditionalKeysAreRead(@TempDir Path dir) throws Exception {
        Path[] rsa = selfSigned(dir, "rsa", "rsa:2048");
        Path[] ec = selfSigned(dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1");
        for (Path[] pair : List.of(rsa, ec)) {
            Path traditional = dir.resolve(pair[1].getFileName() + ".traditional");
            openssl("pkey", "-in", pair[1].toString(), "-traditional", "-out", traditional.toString());
            String text = Files.readString(traditional);
            assertTrue(text.startsWith(pair == rsa ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----"), text);
            PublicKey certified = publicKey(pair[0]);
            assertTrue(Tls.keyMatches(certified, PemKeys.read(text, certified.getAlgorithm(), null)));
        }
    }

    @Test
    void anEncryptedKeyOrACertificateIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        Path[] rsa = selfSigned(dir, "rsa", "rsa:2048");
        Path encrypted = dir.resolve("encrypted.pem");
        openssl("pkey", "-in", rsa[1].toString(), "-aes256", "-passout", "pass:secret", "-out", encrypted.toString());
        Path traditional = dir.resolve("traditional-encrypted.pem");
        openssl("pkey", "-in", rsa[1].toString(), "-traditional", "-aes256", "-passout", "pass:secret", "-out", traditional.toString());
        for (Path file : List.of(encrypted, traditional)) {
            PemKeys.Refused refused = assertThrows(PemKeys.Refused.class, () -> PemKeys.read(Files.readString(file), "RSA", null));
            assertTrue(refused.getMessage().startsWith("the key is encrypted and no passphrase was given: give it with setSslKeyPassphrase"),
                    refused.getMessage());
        }
        for (String body : new String[] {"MAE=", "MA==", "MIA="}) { // cut short, empty, an indefinite length
            PemKeys.Refused cut = assertThrows(PemKeys.Refused.class,
                    () -> PemKeys.read("-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n", "EC", null));
            assertTrue(cut.getMessage().startsWith("its EC key"), cut.getMessage());
        }
        PemKeys.Refused swapped = assertThrows(PemKeys.Refused.class, () -> PemKeys.read(Files.readString(rsa[0]), "RSA", null));
        assertEquals("it holds a certificate, not a private key: setSslCertificate takes the certificate first, then the key", swapped.getMessage());
    }

    /** Both encryptions OpenSSL writes, each cipher its tools offer, opened by the passphrase; another one is named as the cause. */
    @Test
    void encryptedKeysAreOpenedByTheirPassphrase(@TempDir Path dir) throws Exception {
        Path[] rsa = selfSigned(dir, "rsa", "rsa:2048");
        Path[] ec = selfSigned(dir, "ec", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        int made = 0;
        for (Path[] pair : List.of(rsa, ec)) {
            PublicKey certified = publicKey(pair[0]);
            for (String cipher : List.of("-aes128", "-aes192", "-aes256", "-des3")) {
                for (boolean traditional : new boolean[] {false, true}) {
                    Path file = dir.resolve("key-" + made++ + ".pem");
                    List<String> command = new java.util.ArrayList<>(List.of("pkey", "-in", pair[1].toString(), cipher, "-passout", "pass:pässword",
                            "-out", file.toString()));
                    if (traditional) {
                        command.add("-traditional");
                    }
                    openssl(command.toArray(String[]::new));
                    String text = Files.readString(file);
                    assertTrue(text.contains(traditional ? "Proc-Type: 4,ENCRYPTED" : "BEGIN ENCRYPTED PRIVATE KEY"), text);
                    String what = cipher + (traditional ? " traditional " : " PKCS#8 ") + certified.getAlgorithm();
                    if (!traditional && (cipher.equals("-des3") || cipher.equals("-aes192"))) { // Java 17 parses PBES2 with AES-128 and -256 only
                        try {
                            assertTrue(Tls.keyMatches(certified, PemKeys.read(text, certified.getAlgorithm(), "pässword")), what);
                        } catch (PemKeys.Refused unread) {
                            assertTrue(unread.getMessage().startsWith("its encrypted key cannot be read by this JVM"), unread.getMessage());
                        }
                        continue;
                    }
                    assertTrue(Tls.keyMatches(certified, PemKeys.read(text, certified.getAlgorithm(), "pässword")), what);
                    PemKeys.Refused wrong = assertThrows(PemKeys.Refused.class, () -> PemKeys.read(text, certified.getAlgorithm(), "password"), what);
                    assertTrue(wrong.getMessage().startsWith("the passphrase given (setSslKeyPassphrase) does not decrypt the key"), wrong.getMessage());
                }
            }
        }
        Path pbes1 = dir.resolve("key-pbes1.pem"); // PKCS#8 with the older PBES1 scheme, as openssl pkcs8 -v1 writes it
        openssl("pkcs8", "-topk8", "-in", rsa[1].toString(), "-v1", "PBE-SHA1-3DES", "-passout", "pass:password", "-out", pbes1.toString());
        assertTrue(Tls.keyMatches(publicKey(rsa[0]), PemKeys.read(Files.readString(pbes1), "RSA", "password")), "PBES1 (ASCII passphrases only)");
    }

    private static PublicKey publicKey(Path certificate) throws Exception {
        try (InputStream in = Files.newInputStream(certificate)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
        }
    }

    private static PrivateKey key(Path pem, String algorithm) throws Exception {
        return PemKeys.read(Files.readString(pem), algorithm, null);
    }

    /** {certificate, PKCS#8 key} made by openssl in {@code dir}, named by {@code name}. */
    private static Path[] selfSigned(Path dir, String name, String... keyOptions) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        List<String> command = new java.util.ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-keyout", key.toString(), "-out", cert.toString(), "-newkey"));
        command.addAll(List.of(keyOptions));
        openssl(command.toArray(String[]::new));
        return new Path[] {cert, key};
    }

    private static void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertEquals(0, openssl.waitFor(), "openssl: " + output);
    }
}
