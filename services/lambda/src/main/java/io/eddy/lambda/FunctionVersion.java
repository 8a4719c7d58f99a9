package io.eddy.lambda;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The configuration of one version of a function ({@code $LATEST} or a published number), as stored
 * and as rendered in AWS's {@code FunctionConfiguration} shape. Mutable only while being built.
 */
public final class FunctionVersion {

    public String account;
    public String region;
    public String name;
    public String version;
    public String runtime;
    public String handler;
    public String role;
    public String description = "";
    public int timeout = 3;
    public int memorySize = 128;
    public int ephemeralStorage = 512;
    public Map<String, String> environment;
    public List<String> architectures = new ArrayList<>(List.of("x86_64"));
    public String codeSha256;
    public long codeSize;
    public String revisionId;
    public String lastModified;
    public String state;
    public String stateReason;
    public String stateReasonCode;
    public String lastUpdateStatus;
    public String lastUpdateStatusReason;
    public String lastUpdateStatusReasonCode;
    public String logFormat = "Text";
    public String logGroup;
    public String tracingMode = "PassThrough";
    /** DeadLetterConfig.TargetArn: where failed asynchronous events go (an SQS queue or SNS topic). */
    public String deadLetterTargetArn;

    public String unqualifiedArn() {
        return FunctionNames.functionArn(region, account, name);
    }

    public String arn() {
        return "$LATEST".equals(version) ? unqualifiedArn() : unqualifiedArn() + ":" + version;
    }

    public FunctionVersion copy() {
        FunctionVersion c = LambdaJson.MAPPER.convertValue(this, FunctionVersion.class);
        if (environment != null) c.environment = new LinkedHashMap<>(environment);
        return c;
    }

    /** AWS's {@code FunctionConfiguration}. */
    public ObjectNode toJson() {
        ObjectNode o = LambdaJson.MAPPER.createObjectNode();
        o.put("FunctionName", name);
        o.put("FunctionArn", arn());
        o.put("Runtime", runtime);
        o.put("Role", role);
        if (handler != null) o.put("Handler", handler);
        o.put("CodeSize", codeSize);
        o.put("Description", description);
        o.put("Timeout", timeout);
        o.put("MemorySize", memorySize);
        o.put("LastModified", lastModified);
        o.put("CodeSha256", codeSha256);
        o.put("Version", version);
        if (environment != null) {
            ObjectNode variables = o.putObject("Environment").putObject("Variables");
            environment.forEach(variables::put);
        }
        if (deadLetterTargetArn != null) o.putObject("DeadLetterConfig").put("TargetArn", deadLetterTargetArn);
        o.putObject("TracingConfig").put("Mode", tracingMode);
        o.put("RevisionId", revisionId);
        o.put("State", state);
        if (stateReason != null) o.put("StateReason", stateReason);
        if (stateReasonCode != null) o.put("StateReasonCode", stateReasonCode);
        if (lastUpdateStatus != null) o.put("LastUpdateStatus", lastUpdateStatus);
        if (lastUpdateStatusReason != null) o.put("LastUpdateStatusReason", lastUpdateStatusReason);
        if (lastUpdateStatusReasonCode != null) o.put("LastUpdateStatusReasonCode", lastUpdateStatusReasonCode);
        o.put("PackageType", "Zip");
        architectures.forEach(o.putArray("Architectures")::add);
        o.putObject("EphemeralStorage").put("Size", ephemeralStorage);
        o.putObject("RuntimeVersionConfig").put("RuntimeVersionArn", runtimeVersionArn());
        ObjectNode snapStart = o.putObject("SnapStart");
        snapStart.put("ApplyOn", "None");
        snapStart.put("OptimizationStatus", "Off");
        ObjectNode logging = o.putObject("LoggingConfig");
        logging.put("LogFormat", logFormat);
        logging.put("LogGroup", logGroup);
        return o;
    }

    /**
     * Lambda names each release of a managed runtime by a 64-hex-digit id. Eddy runs the machine's
     * interpreter, so the id stands for the runtime identifier itself and stays the same across updates.
     */
    private String runtimeVersionArn() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(runtime.getBytes(StandardCharsets.UTF_8));
            return "arn:aws:lambda:" + region + "::runtime:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The configuration as ListFunctions shows it: AWS leaves out the state fields there, which
     * only GetFunction and GetFunctionConfiguration return.
     */
    public ObjectNode toListedJson() {
        ObjectNode o = toJson();
        o.remove(List.of("State", "StateReason", "StateReasonCode", "LastUpdateStatus", "LastUpdateStatusReason",
                "LastUpdateStatusReasonCode"));
        return o;
    }
}
