package io.eddy.sns;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;
import io.eddy.store.Store;

/**
 * Signs notifications the way SNS does (SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2)
 * with an RSA key Eddy generates once per data directory, and holds the self-signed certificate
 * that {@code SigningCertURL} serves, so subscribers can verify signatures as they verify AWS's.
 */
public final class MessageSigner {

    private static final String SUBJECT = "sns.amazonaws.com";

    private final PrivateKey privateKey;
    private final byte[] certificateDer;
    private final String certificateId;

    private MessageSigner(PrivateKey privateKey, byte[] certificateDer) {
        this.privateKey = privateKey;
        this.certificateDer = certificateDer;
        try {
            this.certificateId = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(certificateDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A key made for stores that have none yet. RSA key generation takes seconds on a busy machine,
     * so one process makes it once (in the background, see {@link #prepare()}) and every new store
     * adopts it; a store keeps the key it adopted for good.
     */
    private static MessageSigner fresh;

    private static final AtomicBoolean preparing = new AtomicBoolean();

    /** Starts making the key new stores adopt (once per process), so the first signature does not wait for it. */
    static void prepare() {
        if (preparing.compareAndSet(false, true)) Thread.ofVirtual().name("sns-signing-key").start(MessageSigner::fresh);
    }

    private static synchronized MessageSigner fresh() {
        if (fresh == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                fresh = new MessageSigner(pair.getPrivate(), selfSignedCertificate(pair));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create the SNS signing key", e);
            }
        }
        return fresh;
    }

    /** The store's signing key; a store without one adopts this process's fresh key and keeps it. */
    static MessageSigner load(Store store) {
        byte[] stored = store.get(SnsKeys.SIGNING_KEY);
        if (stored != null) {
            try {
                JsonNode node = Json.tree(stored);
                PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(node.path("privateKey").asText())));
                return new MessageSigner(key, Base64.getDecoder().decode(node.path("certificate").asText()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the SNS signing key", e);
            }
        }
        MessageSigner signer = fresh();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("privateKey", Base64.getEncoder().encodeToString(signer.privateKey.getEncoded()));
        node.put("certificate", Base64.getEncoder().encodeToString(signer.certificateDer));
        store.write(new Batch().put(SnsKeys.SIGNING_KEY, Json.bytes(node)));
        return signer;
    }

    /** Base64 of the signature over {@code text}: SHA1withRSA for version "1", SHA256withRSA for "2". */
    public String sign(String text, String signatureVersion) {
        try {
            Signature signature = Signature.getInstance("2".equals(signatureVersion) ? "SHA256withRSA" : "SHA1withRSA");
            signature.initSign(privateKey);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate's file name, {@code SimpleNotificationService-<md5>.pem} as AWS names its own. */
    public String certificateFileName() {
        return "SimpleNotificationService-" + certificateId + ".pem";
    }

    public String certificatePem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificateDer);
        return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
    }

    public X509Certificate certificate() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(certificateDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An X.509 v3 certificate for {@code CN=sns.amazonaws.com}, valid for 20 years, signed by its own key. */
    private static byte[] selfSignedCertificate(KeyPair pair) throws GeneralSecurityException {
        byte[] sha256WithRsa = sequence(oid(new int[] {1, 2, 840, 113549, 1, 1, 11}), new byte[] {0x05, 0x00});
        byte[] name = sequence(set(sequence(oid(new int[] {2, 5, 4, 3}), tlv(0x0C, SUBJECT.getBytes(StandardCharsets.UTF_8)))));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        DateTimeFormatter generalized = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");
        byte[] validity = sequence(
                tlv(0x18, generalized.format(now.minusDays(1)).getBytes(StandardCharsets.US_ASCII)),
                tlv(0x18, generalized.format(now.plusYears(20)).getBytes(StandardCharsets.US_ASCII)));
        byte[] version = tlv(0xA0, integer(BigInteger.TWO));
        byte[] serial = integer(new BigInteger(64, new java.security.SecureRandom()).setBit(62));
        byte[] tbs = sequence(version, serial, sha256WithRsa, name, validity, name, pair.getPublic().getEncoded());
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bitString = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        return sequence(tbs, sha256WithRsa, tlv(0x03, bitString));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] oid(int[] arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int shift = 28;
            while (shift > 0 && (arc >>> shift) == 0) shift -= 7;
            for (; shift > 0; shift -= 7) out.write(0x80 | ((arc >>> shift) & 0x7F));
            out.write(arc & 0x7F);
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFFFF ? 4 : length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(length >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
