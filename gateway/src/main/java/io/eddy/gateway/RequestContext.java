package io.eddy.gateway;

/**
 * Who is asking and where: the account and region come from the SigV4 credential scope, the host
 * from the request (services such as SQS echo it back in URLs).
 */
public record RequestContext(String accountId, String region, String requestId, String host) {
}
