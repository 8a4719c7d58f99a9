package io.eddy.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Function names in every form Lambda accepts: plain, with qualifier, partial ARN, full ARN. */
public final class FunctionNames {

    /** The model's pattern for a function name or ARN, as quoted in validation errors. */
    public static final String NAME_PATTERN =
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

    private static final Pattern PARSE = Pattern.compile(
            "(arn:(aws[a-zA-Z-]*)?:lambda:)?((?<region>[a-z]{2}(-gov)?-[a-z]+-\\d{1}):)?((?<account>\\d{12}):)?(function:)?"
                    + "(?<name>[a-zA-Z0-9-_]+)(:(?<qualifier>\\$LATEST|[a-zA-Z0-9-_]+))?");

    /** A parsed reference; region, account and qualifier are null when the text did not carry them. */
    public record Reference(String region, String account, String name, String qualifier) {
    }

    private FunctionNames() {
    }

    /** Null when {@code text} is not a function name or ARN. */
    public static Reference parse(String text) {
        if (text == null) return null;
        Matcher m = PARSE.matcher(text);
        if (!m.matches()) return null;
        return new Reference(m.group("region"), m.group("account"), m.group("name"), m.group("qualifier"));
    }

    public static String functionArn(String region, String account, String name) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    }
}
