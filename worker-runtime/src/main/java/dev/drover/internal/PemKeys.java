package dev.drover.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private key from PEM text in the forms the tools write: PKCS#8 ({@code BEGIN PRIVATE KEY}:
 * certbot, OpenSSL 3), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC1 ({@code BEGIN EC PRIVATE
 * KEY}: acme.sh, {@code openssl ecparam -genkey}, older {@code openssl genrsa}). The last two are
 * wrapped into PKCS#8, which is what the JDK reads. An encrypted key is decrypted with the
 * passphrase given, in both forms OpenSSL writes: PKCS#8's ({@code BEGIN ENCRYPTED PRIVATE KEY},
 * PBES2 or PBES1) and the older {@code Proc-Type: 4,ENCRYPTED} header (AES or triple DES). An
 * encrypted key without a passphrase, a passphrase that does not open it, or no key, is refused
 * with what to do.
 */
final class PemKeys {
    /** Why a PEM file gives no key, in words for the operator; {@code {file}} stands for the file's path. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern DEK_INFO = Pattern.compile("DEK-Info: *([A-Z0-9-]+) *, *([0-9A-Fa-f]+)");
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
     * {@code algorithm} ({@code RSA}, {@code EC}, {@code EdDSA}, ...); an encrypted one decrypted
     * with {@code passphrase} (null: none given).
     */
    static PrivateKey read(String pem, String algorithm, String passphrase) throws Refused, GeneralSecurityException {
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
                    if (!body.contains("ENCRYPTED")) { // Proc-Type: 4,ENCRYPTED
                        return traditional(label, decode(body));
                    }
                    byte[] opened = openTraditional(body, passphrase);
                    try {
                        return traditional(label, opened);
                    } catch (Refused | GeneralSecurityException garbled) { // a padding that held by chance
                        throw wrongPassphrase();
                    }
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return KeyFactory.getInstance(algorithm).generatePrivate(openPkcs8(decode(body), passphrase));
                }
                case "CERTIFICATE" -> certificate = true;
                default -> { } // parameters (BEGIN EC PARAMETERS) and the like
            }
        }
        throw new Refused(certificate ? "it holds a certificate, not a private key: setSslCertificate takes the certificate first, then the key"
                : "it holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    /** A PKCS#1 or SEC1 key, wrapped into PKCS#8. */
    private static PrivateKey traditional(String label, byte[] der) throws Refused, GeneralSecurityException {
        boolean rsa = label.startsWith("RSA");
        byte[] pkcs8 = rsa ? wrap(RSA_ALGORITHM, der) : wrap(concat(EC_ALGORITHM, curveOf(der)), der);
        return KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static Refused encrypted() {
        return new Refused("the key is encrypted and no passphrase was given: give it with setSslKeyPassphrase (read from a file"
                + " only the user that starts drover may read, as nginx's ssl_password_file), or write the key out decrypted with:"
                + " openssl pkey -in {file} -out {file}.plain");
    }

    private static Refused wrongPassphrase() {
        return new Refused("the passphrase given (setSslKeyPassphrase) does not decrypt the key: check it with"
                + " openssl pkey -in {file} -noout");
    }

    /** The PrivateKeyInfo inside PKCS#8's EncryptedPrivateKeyInfo: PBES2 (OpenSSL 3's default) or PBES1. */
    private static PKCS8EncodedKeySpec openPkcs8(byte[] der, String passphrase) throws Refused, GeneralSecurityException {
        if (passphrase == null) {
            throw encrypted();
        }
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) { // not DER, or a scheme the JDK does not parse (PBES2 with triple DES)
            throw new Refused("its encrypted key cannot be read by this JVM (" + e.getMessage() + "): write it with openssl pkcs8 -topk8"
                    + " -v2 aes-256-cbc -in {file} -out {file}.aes");
        }
        AlgorithmParameters parameters = info.getAlgParameters();
        // PBES2 names its PRF and cipher in its parameters (PBEWithHmacSHA256AndAES_256); PBES1 in its algorithm
        String scheme = parameters != null && parameters.toString().startsWith("PBEWith") ? parameters.toString() : info.getAlgName();
        Cipher cipher;
        try {
            cipher = pbes2Cipher(scheme, parameters, passphrase);
            if (cipher == null) {
                cipher = Cipher.getInstance(scheme);
                cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(scheme).generateSecret(new PBEKeySpec(passphrase.toCharArray())), parameters);
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("its key is encrypted with " + scheme + ", which this JVM cannot decrypt (" + e.getMessage()
                    + "): write it with openssl pkcs8 -topk8 -v2 aes-256-cbc -in {file} -out {file}.aes");
        }
        try {
            return info.getKeySpec(cipher);
        } catch (GeneralSecurityException e) {
            throw wrongPassphrase();
        }
    }

    private static final Pattern PBES2 = Pattern.compile("PBEWith(Hmac\\w+)AndAES_(128|192|256)");

    /**
     * PBES2 with AES (OpenSSL's default): the key derived here by PBKDF2, which takes a passphrase
     * in UTF-8, where the JDK's PBE ciphers take ASCII only. Null for another scheme.
     */
    private static Cipher pbes2Cipher(String scheme, AlgorithmParameters parameters, String passphrase) throws GeneralSecurityException {
        Matcher named = PBES2.matcher(scheme);
        if (!named.matches()) {
            return null;
        }
        PBEParameterSpec pbe = parameters.getParameterSpec(PBEParameterSpec.class);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2With" + named.group(1))
                .generateSecret(new PBEKeySpec(passphrase.toCharArray(), pbe.getSalt(), pbe.getIterationCount(), Integer.parseInt(named.group(2))))
                .getEncoded();
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), pbe.getParameterSpec());
        return cipher;
    }

    /**
     * The DER of a key under OpenSSL's old PEM encryption: {@code DEK-Info: AES-256-CBC,<iv>}, its
     * key made from the passphrase and the IV's first 8 bytes by EVP_BytesToKey (MD5, one round).
     */
    private static byte[] openTraditional(String body, String passphrase) throws Refused {
        if (passphrase == null) {
            throw encrypted();
        }
        Matcher info = DEK_INFO.matcher(body);
        if (!info.find()) {
            throw new Refused("its encrypted key has no DEK-Info header naming its cipher");
        }
        String name = info.group(1);
        int keyLength = switch (name) {
            case "AES-128-CBC" -> 16;
            case "AES-192-CBC" -> 24;
            case "AES-256-CBC" -> 32;
            case "DES-EDE3-CBC" -> 24;
            default -> throw new Refused("its key is encrypted with " + name + ", which drover does not decrypt: write it with"
                    + " openssl pkcs8 -topk8 -v2 aes-256-cbc -in {file} -out {file}.aes");
        };
        byte[] iv = HexFormat.of().parseHex(info.group(2));
        byte[] encrypted = decode(body);
        try {
            byte[] key = bytesToKey(passphrase.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(iv, 8), keyLength);
            Cipher cipher = Cipher.getInstance(name.startsWith("AES") ? "AES/CBC/PKCS5Padding" : "DESede/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, name.startsWith("AES") ? "AES" : "DESede"), new IvParameterSpec(iv));
            return cipher.doFinal(encrypted);
        } catch (GeneralSecurityException e) {
            throw wrongPassphrase(); // a bad padding: another passphrase
        }
    }

    /** OpenSSL's EVP_BytesToKey with MD5 and one round: MD5(previous || passphrase || salt), until there are {@code length} bytes. */
    private static byte[] bytesToKey(byte[] passphrase, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        byte[] previous = new byte[0];
        while (key.size() < length) {
            md5.update(previous);
            md5.update(passphrase);
            md5.update(salt);
            previous = md5.digest();
            key.writeBytes(previous);
        }
        return Arrays.copyOf(key.toByteArray(), length);
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
