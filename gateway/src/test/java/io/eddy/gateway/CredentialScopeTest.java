package io.eddy.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialScopeTest {

    @Test
    void scopeComesFromTheAuthorizationHeader() {
        CredentialScope scope = CredentialScope.parse("AWS4-HMAC-SHA256 Credential=123456789012/20250101/eu-west-1/sqs/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=abc", null);
        assertThat(scope).isEqualTo(new CredentialScope("123456789012", "eu-west-1", "sqs"));
        assertThat(scope.accountId()).isEqualTo("123456789012");
    }

    @Test
    void aCredentialThatDoesNotEndInAws4RequestIsSkippedForALaterOne() {
        assertThat(CredentialScope.parse("X Credential=a/b/c, Credential=KEY/20250101/us-west-2/dynamodb/aws4_request", null))
                .isEqualTo(new CredentialScope("KEY", "us-west-2", "dynamodb"));
        assertThat(CredentialScope.parse("X Credential=KEY/20250101/us-west-2/dynamodb/other", null)).isNull();
        assertThat(CredentialScope.parse("X Credential=K EY/20250101/us-west-2/dynamodb/aws4_request", null)).isNull();
        assertThat(CredentialScope.parse("X Credential=KEY", null)).isNull();
    }

    @Test
    void scopeComesFromThePresignedQueryWhenThereIsNoHeader() {
        assertThat(CredentialScope.parse(null, "KEY/20250101/ap-south-1/lambda/aws4_request"))
                .isEqualTo(new CredentialScope("KEY", "ap-south-1", "lambda"));
        assertThat(CredentialScope.parse(null, null)).isNull();
    }

    @Test
    void onlyTwelveDigitAccessKeysNameAnAccount() {
        assertThat(new CredentialScope("test", "us-east-1", "sqs").accountId()).isEqualTo(CredentialScope.DEFAULT_ACCOUNT);
        assertThat(new CredentialScope("12345678901a", "us-east-1", "sqs").accountId()).isEqualTo(CredentialScope.DEFAULT_ACCOUNT);
        assertThat(new CredentialScope("1234567890123", "us-east-1", "sqs").accountId()).isEqualTo(CredentialScope.DEFAULT_ACCOUNT);
        assertThat(new CredentialScope(null, "us-east-1", "sqs").accountId()).isEqualTo(CredentialScope.DEFAULT_ACCOUNT);
    }
}
