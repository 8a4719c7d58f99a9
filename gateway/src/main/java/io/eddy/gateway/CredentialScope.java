package io.eddy.gateway;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SigV4 credential scope of a request: access key, date, region and service. Eddy accepts any
 * credentials and checks no signature; the scope only tells who is calling and where.
 */
public record CredentialScope(String accessKey, String region, String service) {

    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]*)/[^/]*/([^/]*)/([^/]*)/aws4_request");
    private static final Pattern TWELVE_DIGITS = Pattern.compile("\\d{12}");

    /** From an {@code Authorization} header or an {@code X-Amz-Credential} query value; null if neither. */
    public static CredentialScope parse(String authorization, String queryCredential) {
        if (authorization != null) {
            Matcher m = CREDENTIAL.matcher(authorization);
            if (m.find()) return new CredentialScope(m.group(1), m.group(2), m.group(3));
        }
        if (queryCredential != null) {
            String[] parts = queryCredential.split("/");
            if (parts.length >= 4) return new CredentialScope(parts[0], parts[2], parts[3]);
        }
        return null;
    }

    /** The account is the access key itself when that is 12 digits, else the default account. */
    public String accountId() {
        return accessKey != null && TWELVE_DIGITS.matcher(accessKey).matches() ? accessKey : DEFAULT_ACCOUNT;
    }
}
