package io.eddy.sns;

import java.util.regex.Pattern;

/** Parses the ARNs SNS requests carry, with the messages AWS gives for malformed ones. */
final class Arns {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern SUBSCRIPTION_ID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Arns() {
    }

    /** A topic's address; its ARN is {@code arn:aws:sns:<region>:<account>:<name>}. */
    record TopicAddress(String account, String region, String name) {
        String arn() {
            return "arn:aws:sns:" + region + ":" + account + ":" + name;
        }
    }

    /** A subscription's address: its topic and its id. */
    record SubscriptionAddress(TopicAddress topic, String id) {
        String arn() {
            return topic.arn() + ":" + id;
        }
    }

    /**
     * The topic {@code arn} names, checked against the caller's region as AWS does.
     *
     * @param parameter the request parameter the ARN came in, for the error message
     */
    static TopicAddress topic(String arn, String parameter, String callerRegion) {
        String[] parts = elements(arn, parameter);
        if (parts.length != 6 || !isSnsArn(parts) || !parts[3].equals(callerRegion) || !TopicNames.isValidArnName(parts[5])) {
            throw SnsErrors.invalidParameter(parameter);
        }
        return new TopicAddress(parts[4], parts[3], parts[5]);
    }

    static SubscriptionAddress subscription(String arn, String callerRegion) {
        if (arn.isEmpty()) throw SnsErrors.invalidParameter("SubscriptionArn Reason: no value for required parameter");
        String[] parts = elements(arn, "SubscriptionArn");
        if (!isSnsArn(parts)) throw SnsErrors.invalidParameter("SubscriptionArn");
        if (parts.length != 7 || !SUBSCRIPTION_ID.matcher(parts[6]).matches()) {
            throw SnsErrors.invalidParameter("SubscriptionId");
        }
        if (!parts[3].equals(callerRegion) || !TopicNames.isValidArnName(parts[5])) {
            throw SnsErrors.invalidParameter("SubscriptionArn");
        }
        return new SubscriptionAddress(new TopicAddress(parts[4], parts[3], parts[5]), parts[6].toLowerCase());
    }

    /** Whether {@code arn} is an SQS queue ARN, {@code arn:aws:sqs:<region>:<account>:<name>}. */
    static boolean isQueueArn(String arn) {
        String[] parts = arn.split(":", -1);
        return parts.length == 6 && parts[0].equals("arn") && !parts[1].isEmpty() && parts[2].equals("sqs")
                && !parts[3].isEmpty() && ACCOUNT.matcher(parts[4]).matches() && !parts[5].isEmpty();
    }

    /** Whether {@code arn} names a Lambda function (optionally a version or alias). */
    static boolean isFunctionArn(String arn) {
        String[] parts = arn.split(":", -1);
        return (parts.length == 7 || parts.length == 8) && parts[0].equals("arn") && parts[2].equals("lambda")
                && !parts[3].isEmpty() && ACCOUNT.matcher(parts[4]).matches() && parts[5].equals("function")
                && !parts[6].isEmpty();
    }

    static String region(String arn) {
        return arn.split(":", -1)[3];
    }

    static String account(String arn) {
        return arn.split(":", -1)[4];
    }

    static String resource(String arn) {
        String[] parts = arn.split(":", -1);
        return parts[parts.length - 1];
    }

    private static String[] elements(String arn, String parameter) {
        String[] parts = arn.split(":", -1);
        if (parts.length < 6) {
            throw SnsErrors.invalidParameter(parameter + " Reason: An ARN must have at least 6 elements, not " + parts.length);
        }
        return parts;
    }

    private static boolean isSnsArn(String[] parts) {
        return parts[0].equals("arn") && !parts[1].isEmpty() && parts[2].equals("sns") && ACCOUNT.matcher(parts[4]).matches();
    }
}
