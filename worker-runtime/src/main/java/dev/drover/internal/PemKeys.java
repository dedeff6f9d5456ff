package dev.drover.internal;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key from PEM text in the forms the tools write: PKCS#8 ({@code BEGIN PRIVATE KEY}:
 * certbot, OpenSSL 3), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE
 * KEY}: acme.sh, {@code openssl ecparam -genkey}, older {@code openssl genrsa}). The last two are
 * wrapped into PKCS#8, which is what the JDK reads. An encrypted key, or no key, is refused with
 * what to do.
 */
final class PemKeys {
    /** Why a PEM file gives no key, in words for the operator; {@code {file}} stands for the file's path. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption (1.2.840.113549.1.1.1) and its NULL parameters, as DER. */
    private static final byte[] RSA_ALGORITHM = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey (1.2.840.10045.2.1), as DER. */
    private static final byte[] EC_ALGORITHM = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemKeys() {}

    /** The whole blocks of {@code pem} labelled {@code label} ({@code CERTIFICATE}: a chain), in order. */
    static List<String> blocks(String pem, String label) {
        List<String> found = new ArrayList<>();
        Matcher block = BLOCK.matcher(pem);
        while (block.find()) {
            if (block.group(1).equals(label)) {
                found.add(block.group());
            }
        }
        return found;
    }

    /**
     * The first private key in {@code pem}, for a certificate whose public key is of
     * {@code algorithm} ({@code RSA}, {@code EC}, {@code EdDSA}, ...).
     */
    static PrivateKey read(String pem, String algorithm) throws Refused, GeneralSecurityException {
        Matcher block = BLOCK.matcher(pem);
        boolean certificate = false;
        while (block.find()) {
            String label = block.group(1);
            String body = block.group(2);
            switch (label) {
                case "PRIVATE KEY" -> {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(decode(body)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (body.contains("ENCRYPTED")) { // Proc-Type: 4,ENCRYPTED
                        throw encrypted();
                    }
                    byte[] der = decode(body);
                    byte[] pkcs8 = label.startsWith("RSA") ? wrap(RSA_ALGORITHM, der) : wrap(concat(EC_ALGORITHM, curveOf(der)), der);
                    return KeyFactory.getInstance(label.startsWith("RSA") ? "RSA" : "EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
                case "CERTIFICATE" -> certificate = true;
                default -> { } // parameters (BEGIN EC PARAMETERS) and the like
            }
        }
        throw new Refused(certificate ? "it holds a certificate, not a private key: setSslCertificate takes the certificate first, then the key"
                : "it holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static Refused encrypted() {
        return new Refused("the key is encrypted, and drover reads unencrypted keys (as nginx reads them without a passphrase file):"
                + " write it out decrypted with: openssl pkey -in {file} -out {file}.plain, readable by the user that starts drover only");
    }

    private static byte[] decode(String body) throws Refused {
        String base64 = body.replaceAll("(?m)^[A-Za-z-]+:.*$", ""); // headers of the old form
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Refused("its key is not base64: " + e.getMessage());
        }
    }

    /** PrivateKeyInfo: version 0, the algorithm identifier {@code algorithm} (its content), the key as an OCTET STRING. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, der(0x30, algorithm), der(0x04, key)));
    }

    /**
     * The curve's OID (with its tag and length) of a SEC1 ECPrivateKey: SEQUENCE { version,
     * privateKey OCTET STRING, [0] parameters, [1] publicKey }.
     */
    private static byte[] curveOf(byte[] sec1) throws Refused {
        int[] at = {0};
        enter(sec1, at, 0x30);
        skip(sec1, at, 0x02);
        skip(sec1, at, 0x04);
        if (at[0] >= sec1.length || (sec1[at[0]] & 0xff) != 0xa0) {
            throw new Refused("its EC key does not name its curve: write it as PKCS#8 with openssl pkcs8 -topk8 -nocrypt -in {file}"
                    + " -out {file}.pkcs8");
        }
        int end = enter(sec1, at, 0xa0);
        if (at[0] >= end || sec1[at[0]] != 0x06) {
            throw new Refused("its EC key names its curve by parameters, not by name: write it with openssl ec -in {file} -param_enc named_curve -out {file}.named");
        }
        return Arrays.copyOfRange(sec1, at[0], end);
    }

    /** Moves past the tag and length of an element tagged {@code tag} at {@code at}; returns where its content ends. */
    private static int enter(byte[] der, int[] at, int tag) throws Refused {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
            throw new Refused("its EC key is not SEC1 DER");
        }
        at[0]++;
        int length = at[0] < der.length ? der[at[0]++] & 0xff : 0x80;
        if (length >= 0x80) {
            int bytes = length - 0x80;
            if (bytes < 1 || bytes > 3 || at[0] + bytes > der.length) { // indefinite, or past the key
                throw new Refused("its EC key is not SEC1 DER");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = length << 8 | der[at[0]++] & 0xff;
            }
        }
        if (at[0] + length > der.length) {
            throw new Refused("its EC key is not SEC1 DER");
        }
        return at[0] + length;
    }

    private static void skip(byte[] der, int[] at, int tag) throws Refused {
        at[0] = enter(der, at, tag);
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> 8 * i);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
