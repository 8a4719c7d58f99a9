package io.eddy.lambda.runtime;

/**
 * Which code and configuration an environment runs. {@code lastModified} changes with every code or
 * configuration update, so an environment never serves an event meant for a newer deployment.
 */
public record EnvironmentKey(String account, String region, String functionName, String version,
                             String codeSha256, String lastModified) {

    public boolean sameFunction(String account, String region, String functionName) {
        return this.account.equals(account) && this.region.equals(region) && this.functionName.equals(functionName);
    }
}
