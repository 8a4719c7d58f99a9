package io.eddy.logs.filter;

/** The pattern does not follow CloudWatch Logs' filter syntax. */
public final class InvalidFilterPatternException extends RuntimeException {
    public InvalidFilterPatternException(String detail) {
        super(detail, null, false, false);
    }
}
