package io.eddy.protocol.query;

import java.util.HashMap;
import java.util.Map;

/**
 * A service's description for the Query protocol: its XML namespace and, for each action, the shape
 * of its input and output. An action without an output shape answers with a response element that
 * holds only {@code ResponseMetadata}.
 */
public final class QueryApi {

    /** One action: {@code output} null when the operation returns nothing. */
    public record Operation(String name, QueryShape.Structure input, QueryShape.Structure output) {
    }

    private final String xmlNamespace;
    private final Map<String, Operation> operations = new HashMap<>();
    private String invalidValueCode = "InvalidParameterValue";
    private boolean errorDetailElement;

    /** @param xmlNamespace e.g. {@code http://queue.amazonaws.com/doc/2012-11-05/} */
    public QueryApi(String xmlNamespace) {
        this.xmlNamespace = xmlNamespace;
    }

    public QueryApi operation(String name, QueryShape.Structure input, QueryShape.Structure output) {
        operations.put(name, new Operation(name, input, output));
        return this;
    }

    /** The error code for a parameter the wire cannot convert (a number that is not one); default {@code InvalidParameterValue}. */
    public QueryApi invalidValueCode(String code) {
        this.invalidValueCode = code;
        return this;
    }

    /** Whether errors carry an empty {@code <Detail/>} element, as SQS's do. */
    public QueryApi errorDetailElement(boolean present) {
        this.errorDetailElement = present;
        return this;
    }

    public String xmlNamespace() {
        return xmlNamespace;
    }

    public Operation operation(String name) {
        return operations.get(name);
    }

    public String invalidValueCode() {
        return invalidValueCode;
    }

    public boolean errorDetailElement() {
        return errorDetailElement;
    }
}
