package io.eddy.gateway;

/**
 * The SigV4 credential scope of a request: access key, date, region and service. Eddy accepts any
 * credentials and checks no signature; the scope only tells who is calling and where.
 */
public record CredentialScope(String accessKey, String region, String service) {

    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    /** From an {@code Authorization} header or an {@code X-Amz-Credential} query value; null if neither. */
    public static CredentialScope parse(String authorization, String queryCredential) {
        if (authorization != null) {
            for (int at = authorization.indexOf("Credential="); at >= 0; at = authorization.indexOf("Credential=", at + 1)) {
                CredentialScope scope = fromHeader(authorization, at + "Credential=".length());
                if (scope != null) return scope;
            }
        }
        if (queryCredential != null) {
            String[] parts = queryCredential.split("/");
            if (parts.length >= 4) return new CredentialScope(parts[0], parts[2], parts[3]);
        }
        return null;
    }

    /**
     * {@code key/date/region/service/aws4_request} from {@code start}: the key runs to the first slash and
     * holds no comma or whitespace; null when the header does not continue that way.
     */
    private static CredentialScope fromHeader(String header, int start) {
        int keyEnd = start;
        while (keyEnd < header.length() && header.charAt(keyEnd) != '/') {
            char c = header.charAt(keyEnd);
            if (c == ',' || Character.isWhitespace(c)) return null;
            keyEnd++;
        }
        int dateEnd = header.indexOf('/', keyEnd + 1);
        int regionEnd = dateEnd < 0 ? -1 : header.indexOf('/', dateEnd + 1);
        int serviceEnd = regionEnd < 0 ? -1 : header.indexOf('/', regionEnd + 1);
        if (keyEnd == header.length() || serviceEnd < 0 || !header.startsWith("aws4_request", serviceEnd + 1)) return null;
        return new CredentialScope(header.substring(start, keyEnd), header.substring(dateEnd + 1, regionEnd),
                header.substring(regionEnd + 1, serviceEnd));
    }

    /** The account is the access key itself when that is 12 digits, else the default account. */
    public String accountId() {
        if (accessKey == null || accessKey.length() != 12) return DEFAULT_ACCOUNT;
        for (int i = 0; i < 12; i++) {
            char c = accessKey.charAt(i);
            if (c < '0' || c > '9') return DEFAULT_ACCOUNT;
        }
        return accessKey;
    }
}
