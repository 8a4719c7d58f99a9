package io.eddy.lambda;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An alias: a name pointing at a version, optionally sending a share of traffic to a second one. */
public final class FunctionAlias {
    public String account;
    public String region;
    public String functionName;
    public String name;
    public String functionVersion;
    public String description = "";
    public Map<String, Double> additionalVersionWeights = new LinkedHashMap<>();
    public String revisionId;

    public String arn() {
        return FunctionNames.functionArn(region, account, functionName) + ":" + name;
    }

    public ObjectNode toJson() {
        ObjectNode o = LambdaJson.MAPPER.createObjectNode();
        o.put("AliasArn", arn());
        o.put("Name", name);
        o.put("FunctionVersion", functionVersion);
        o.put("Description", description);
        if (!additionalVersionWeights.isEmpty()) {
            ObjectNode weights = o.putObject("RoutingConfig").putObject("AdditionalVersionWeights");
            additionalVersionWeights.forEach(weights::put);
        }
        o.put("RevisionId", revisionId);
        return o;
    }
}
