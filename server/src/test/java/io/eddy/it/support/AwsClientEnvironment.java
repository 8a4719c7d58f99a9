package io.eddy.it.support;

import java.util.Map;

import io.eddy.server.Eddy;

/** The environment a user's shell has after pointing the AWS tools at an Eddy, for the processes tests start. */
final class AwsClientEnvironment {

    private AwsClientEnvironment() {
    }

    static void pointAt(Eddy eddy, Map<String, String> env) {
        // the caller's profile, CA bundle or endpoint settings must not reach the tools
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ENDPOINT_URL", eddy.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
    }
}
