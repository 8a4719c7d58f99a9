package io.eddy.lambda.esm.adapters;

import io.eddy.lambda.FunctionNames;
import io.eddy.lambda.FunctionVersion;
import io.eddy.lambda.InvocationResult;
import io.eddy.lambda.LambdaService;
import io.eddy.lambda.esm.spi.FunctionInvoker;
import io.eddy.protocol.AwsException;

/** Mappings' functions, resolved and invoked through Eddy's Lambda service. */
public final class LambdaFunctions implements FunctionInvoker {

    private final LambdaService lambda;

    public LambdaFunctions(LambdaService lambda) {
        this.lambda = lambda;
    }

    @Override
    public FunctionTarget resolve(String account, String region, String functionName) {
        FunctionVersion version = lambda.resolveConfiguration(account, region, functionName, null);
        FunctionNames.Reference reference = FunctionNames.parse(functionName);
        String qualifier = reference == null ? null : reference.qualifier();
        String arn = FunctionNames.functionArn(region, account, version.name) + (qualifier == null ? "" : ":" + qualifier);
        return new FunctionTarget(account, region, arn, version.name, qualifier, version.timeout);
    }

    @Override
    public InvokeResult invoke(FunctionTarget target, byte[] payload) throws InvocationRejected {
        try {
            InvocationResult result = lambda.invoke(target.account(), target.region(), target.name(), target.qualifier(), payload);
            return new InvokeResult(result.payload(), result.functionError(), result.executedVersion(), result.requestId());
        } catch (AwsException e) {
            throw new InvocationRejected(e.code() + ": " + e.getMessage());
        }
    }
}
