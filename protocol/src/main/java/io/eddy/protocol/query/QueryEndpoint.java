package io.eddy.protocol.query;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.Endpoint;
import io.eddy.gateway.GatewayRequest;
import io.eddy.gateway.GatewayResponse;
import io.eddy.protocol.AwsException;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The AWS Query protocol: {@code Action=<Op>&Version=...} plus the input as form parameters, in a
 * form-encoded POST body or in the URL; answers {@code <OpResponse><OpResult>..</OpResult>
 * <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></OpResponse>} and errors as
 * {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}. The
 * error code is the exception's legacy Query code when it has one, else its short code.
 */
public final class QueryEndpoint implements Endpoint {

    private static final int MAX_PARAMETERS = 10_000;

    private final QueryApi api;
    private final QueryService service;
    private final BiConsumer<GatewayRequest, ObjectNode> inputFromRequest;

    public QueryEndpoint(QueryApi api, QueryService service) {
        this(api, service, (request, input) -> { });
    }

    /**
     * @param inputFromRequest completes a decoded input from the request itself, before the service
     *     sees it (SQS takes the queue from the URL path when the parameters do not name it)
     */
    public QueryEndpoint(QueryApi api, QueryService service, BiConsumer<GatewayRequest, ObjectNode> inputFromRequest) {
        this.api = api;
        this.service = service;
        this.inputFromRequest = inputFromRequest;
    }

    @Override
    public GatewayResponse handle(GatewayRequest request) {
        TreeMap<String, String> params = parameters(request);
        String action = params.get("Action");
        String requestId = request.context().requestId();
        try {
            if (action == null || action.isEmpty()) {
                throw new AwsException(400, "MissingAction", "Missing Action");
            }
            QueryApi.Operation operation = api.operation(action);
            if (operation == null) {
                throw new AwsException(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
            }
            ObjectNode input = new QueryDecoder(params, api.invalidValueCode()).decode(operation.input());
            inputFromRequest.accept(request, input);
            ObjectNode output = service.invoke(action, input, request.context());
            return respond(200, result(operation, output, requestId)).operation(action);
        } catch (AwsException e) {
            return respond(e.status(), error(e, requestId)).operation(action);
        }
    }

    private byte[] result(QueryApi.Operation operation, ObjectNode output, String requestId) {
        XmlWriter xml = new XmlWriter().declaration();
        String response = operation.name() + "Response";
        xml.start(response, api.xmlNamespace());
        if (operation.output() != null) {
            String result = operation.name() + "Result";
            xml.start(result);
            if (output != null) QueryEncoder.writeMembers(xml, operation.output(), output);
            xml.end(result);
        }
        xml.start("ResponseMetadata").element("RequestId", requestId).end("ResponseMetadata");
        xml.end(response);
        return xml.toBytes();
    }

    private byte[] error(AwsException e, String requestId) {
        String code = e.queryCompatibleCode() != null ? e.queryCompatibleCode() : e.code();
        XmlWriter xml = new XmlWriter().declaration();
        xml.start("ErrorResponse", api.xmlNamespace()).start("Error")
                .element("Type", e.isSenderFault() ? "Sender" : "Receiver")
                .element("Code", code);
        if (e.getMessage() != null) xml.element("Message", e.getMessage());
        if (api.errorDetailElement()) xml.empty("Detail");
        xml.end("Error").element("RequestId", requestId).end("ErrorResponse");
        return xml.toBytes();
    }

    private static GatewayResponse respond(int status, byte[] body) {
        return new GatewayResponse(status, "text/xml", body);
    }

    /**
     * URL parameters, then form body parameters (which win); the first value of a repeated name
     * counts. A semicolon is an ordinary character in a form body (message bodies contain them).
     */
    static TreeMap<String, String> parameters(GatewayRequest request) {
        TreeMap<String, String> params = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : request.queryParameters().entrySet()) {
            if (!e.getValue().isEmpty()) params.put(e.getKey(), e.getValue().get(0));
        }
        if (request.body().length > 0 && isForm(request.header("Content-Type"))) {
            QueryStringDecoder form = new QueryStringDecoder(new String(request.body(), StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8, false, MAX_PARAMETERS, true);
            for (Map.Entry<String, List<String>> e : form.parameters().entrySet()) {
                if (!e.getValue().isEmpty()) params.put(e.getKey(), e.getValue().get(0));
            }
        }
        return params;
    }

    private static boolean isForm(String contentType) {
        return contentType == null || contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
    }
}
