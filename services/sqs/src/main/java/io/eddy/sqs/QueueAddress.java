package io.eddy.sqs;

import java.util.regex.Pattern;

/** Where a queue lives: account, region and name; its URL and ARN derive from these. */
record QueueAddress(String account, String region, String name) {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    boolean isFifo() {
        return name.endsWith(".fifo");
    }

    String arn() {
        return "arn:aws:sqs:" + region + ":" + account + ":" + name;
    }

    /** The URL as the client addressed Eddy: {@code http://<host>/<account>/<name>}. */
    String url(String host) {
        return "http://" + host + "/" + account + "/" + name;
    }

    /** The registry key: accounts, then regions, then names in order. */
    String key() {
        return account + '\u0000' + region + '\u0000' + name;
    }

    static String keyPrefix(String account, String region) {
        return account + '\u0000' + region + '\u0000';
    }

    /**
     * The queue a URL names, whatever its host: the last path segment is the name, the one before it
     * the account when it is twelve digits (URLs such as {@code http://host/queue/name} from other
     * tools address the caller's own account).
     */
    static QueueAddress fromUrl(String url, String callerAccount, String region) {
        String path = url;
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        int last = path.lastIndexOf('/');
        if (last < 0 || last == path.length() - 1) throw SqsErrors.invalidAddress(url);
        String name = path.substring(last + 1);
        String before = path.substring(0, last);
        String account = before.substring(before.lastIndexOf('/') + 1);
        if (!ACCOUNT.matcher(account).matches()) {
            if (scheme < 0 && before.isEmpty()) throw SqsErrors.invalidAddress(url);
            account = callerAccount;
        }
        return new QueueAddress(account, region, name);
    }

    /** The queue an ARN names, or null when it is not an SQS queue ARN. */
    static QueueAddress fromArn(String arn) {
        if (arn == null) return null;
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")
                || parts[3].isEmpty() || parts[4].isEmpty() || parts[5].isEmpty()) {
            return null;
        }
        return new QueueAddress(parts[4], parts[3], parts[5]);
    }

    /** Whether a request path is a queue URL's path, {@code /<12 digits>/<name>}. */
    static boolean isQueuePath(String path) {
        int second = path.indexOf('/', 1);
        if (!path.startsWith("/") || second != 13) return false;
        if (!ACCOUNT.matcher(path.substring(1, second)).matches()) return false;
        String name = path.substring(second + 1);
        return !name.isEmpty() && QueueNames.isValidName(name);
    }
}
