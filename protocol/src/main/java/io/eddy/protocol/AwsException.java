package io.eddy.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error a service answers with, in protocol-neutral form; each protocol renders it its own way.
 * {@code type} is the fully qualified shape name (e.g. {@code com.amazonaws.dynamodb.v20120810#ResourceNotFoundException})
 * that JSON protocols put in {@code __type}; {@link #code()} is the short name that XML protocols use.
 */
public class AwsException extends RuntimeException {

    private final int status;
    private final String type;
    private final ObjectNode details;
    private String queryCompatibleCode;
    private String messageMember = "message";

    public AwsException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.details = JsonNodeFactory.instance.objectNode();
    }

    public int status() {
        return status;
    }

    /** The fully qualified error type. */
    public String type() {
        return type;
    }

    /** The short error code: the part of {@link #type()} after '#'. */
    public String code() {
        int hash = type.indexOf('#');
        return hash < 0 ? type : type.substring(hash + 1);
    }

    /** Extra members that JSON protocols write beside {@code __type} and {@code message}. */
    public ObjectNode details() {
        return details;
    }

    /** Whether the caller (4xx) or the service (5xx) is at fault. */
    public boolean isSenderFault() {
        return status < 500;
    }

    /**
     * For services marked {@code awsQueryCompatible} (SQS): the legacy Query error code that JSON
     * responses also carry in the {@code x-amzn-query-error} header.
     */
    public String queryCompatibleCode() {
        return queryCompatibleCode;
    }

    public AwsException withQueryCompatibleCode(String code) {
        this.queryCompatibleCode = code;
        return this;
    }

    /** The member JSON protocols put the message in: {@code message}, or {@code Message} for some AWS errors. */
    public String messageMember() {
        return messageMember;
    }

    public AwsException withMessageMember(String name) {
        this.messageMember = name;
        return this;
    }
}
