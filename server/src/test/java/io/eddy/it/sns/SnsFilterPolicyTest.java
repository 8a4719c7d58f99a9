package io.eddy.it.sns;

import static io.eddy.it.sns.SnsTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class SnsFilterPolicyTest {

    static Eddy eddy;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        sns = SnsTestSupport.sns(eddy.endpoint());
        sqs = SnsTestSupport.sqs(eddy.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        sqs.close();
        eddy.close();
    }

    /** A message to publish: the label is its body unless a body is given (body scope). */
    record Probe(String label, Map<String, MessageAttributeValue> attributes, String body) {
        static Probe attrs(String label, Object... nameTypeValue) {
            Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
            for (int i = 0; i < nameTypeValue.length; i += 3) {
                String type = (String) nameTypeValue[i + 1];
                MessageAttributeValue.Builder v = MessageAttributeValue.builder().dataType(type);
                if (type.startsWith("Binary")) v.binaryValue(SdkBytes.fromByteArray((byte[]) nameTypeValue[i + 2]));
                else v.stringValue((String) nameTypeValue[i + 2]);
                attributes.put((String) nameTypeValue[i], v.build());
            }
            return new Probe(label, attributes, null);
        }

        static Probe body(String label, String body) {
            return new Probe(label, Map.of(), body);
        }
    }

    /** Publishes every probe to a topic whose only subscription has this policy; returns the labels delivered. */
    private static Set<String> delivered(String policy, String scope, Probe... probes) throws Exception {
        String topic = sns.createTopic(b -> b.name(unique("filter"))).topicArn();
        SnsTestSupport.Queue queue = SnsTestSupport.queue(sqs, unique("filterq"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("RawMessageDelivery", "true");
        attributes.put("FilterPolicy", policy);
        if (scope != null) attributes.put("FilterPolicyScope", scope);
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue.arn()).attributes(attributes));
        Map<String, String> labelsByBody = new LinkedHashMap<>();
        for (Probe probe : probes) {
            String message = probe.body() != null ? probe.body() : probe.label();
            labelsByBody.put(message, probe.label());
            sns.publish(b -> b.topicArn(topic).message(message).messageAttributes(probe.attributes()));
        }
        SnsTestSupport.drain(eddy.endpoint());
        List<Message> messages = SnsTestSupport.receiveAvailable(sqs, queue.url());
        Set<String> labels = new TreeSet<>();
        for (Message m : messages) labels.add(labelsByBody.get(m.body()));
        return labels;
    }

    @Test
    void exactValuesAndAndAcrossKeys() throws Exception {
        assertThat(delivered("{\"color\":[\"red\",\"blue\"],\"size\":[\"L\"]}", null,
                Probe.attrs("red-L", "color", "String", "red", "size", "String", "L"),
                Probe.attrs("blue-L", "color", "String", "blue", "size", "String", "L"),
                Probe.attrs("red-M", "color", "String", "red", "size", "String", "M"),
                Probe.attrs("Red-L", "color", "String", "Red", "size", "String", "L"),
                Probe.attrs("red-only", "color", "String", "red"),
                Probe.attrs("none")))
                .containsExactly("blue-L", "red-L");
    }

    @Test
    void numericMatchingAppliesToNumberAttributesOnly() throws Exception {
        assertThat(delivered("{\"price\":[{\"numeric\":[\">\",0,\"<=\",100]}],\"qty\":[5]}", null,
                Probe.attrs("in-range", "price", "Number", "99.12", "qty", "Number", "5"),
                Probe.attrs("edge", "price", "Number", "100", "qty", "Number", "5.0"),
                Probe.attrs("too-high", "price", "Number", "100.01", "qty", "Number", "5"),
                Probe.attrs("zero", "price", "Number", "0", "qty", "Number", "5"),
                Probe.attrs("string-typed", "price", "String", "50", "qty", "Number", "5")))
                .containsExactly("edge", "in-range");
    }

    @Test
    void prefixSuffixIgnoreCaseAndStringArrays() throws Exception {
        assertThat(delivered("{\"file\":[{\"suffix\":\".png\"}],\"owner\":[{\"prefix\":\"team-\"}]}", null,
                Probe.attrs("match", "file", "String", "cat.png", "owner", "String", "team-a"),
                Probe.attrs("jpg", "file", "String", "cat.jpg", "owner", "String", "team-a"),
                Probe.attrs("solo", "file", "String", "cat.png", "owner", "String", "alice")))
                .containsExactly("match");
        assertThat(delivered("{\"env\":[{\"equals-ignore-case\":\"PROD\"}]}", null,
                Probe.attrs("lower", "env", "String", "prod"),
                Probe.attrs("other", "env", "String", "dev")))
                .containsExactly("lower");
        assertThat(delivered("{\"tags\":[\"urgent\"]}", null,
                Probe.attrs("array-hit", "tags", "String.Array", "[\"billing\",\"urgent\"]"),
                Probe.attrs("array-miss", "tags", "String.Array", "[\"billing\"]"),
                Probe.attrs("binary-ignored", "tags", "Binary", "urgent".getBytes())))
                .containsExactly("array-hit");
    }

    @Test
    void anythingButExistsCidrAndOr() throws Exception {
        assertThat(delivered("{\"store\":[{\"anything-but\":[\"example_corp\",\"other\"]}]}", null,
                Probe.attrs("allowed", "store", "String", "acme"),
                Probe.attrs("excluded", "store", "String", "other"),
                Probe.attrs("absent")))
                .containsExactly("allowed");
        assertThat(delivered("{\"id\":[{\"anything-but\":{\"prefix\":\"test-\"}}]}", null,
                Probe.attrs("real", "id", "String", "order-1"),
                Probe.attrs("test", "id", "String", "test-1")))
                .containsExactly("real");
        assertThat(delivered("{\"store\":[{\"exists\":false}]}", null,
                Probe.attrs("without"),
                Probe.attrs("with", "store", "String", "x")))
                .containsExactly("without");
        assertThat(delivered("{\"store\":[{\"exists\":true}]}", null,
                Probe.attrs("without"),
                Probe.attrs("with", "store", "String", "x")))
                .containsExactly("with");
        assertThat(delivered("{\"source_ip\":[{\"cidr\":\"10.0.0.0/24\"}]}", null,
                Probe.attrs("inside", "source_ip", "String", "10.0.0.7"),
                Probe.attrs("outside", "source_ip", "String", "10.0.1.7")))
                .containsExactly("inside");
        assertThat(delivered("{\"$or\":[{\"kind\":[\"alert\"]},{\"level\":[{\"numeric\":[\">=\",5]}]}]}", null,
                Probe.attrs("alert", "kind", "String", "alert"),
                Probe.attrs("high", "level", "Number", "7"),
                Probe.attrs("low", "level", "Number", "2", "kind", "String", "info")))
                .containsExactly("alert", "high");
    }

    @Test
    void messageBodyScopeMatchesNestedJson() throws Exception {
        assertThat(delivered("{\"order\":{\"kind\":[\"big\"],\"total\":[{\"numeric\":[\">=\",10]}]},\"region\":[{\"prefix\":\"eu-\"}]}",
                "MessageBody",
                Probe.body("match", "{\"order\":{\"kind\":\"big\",\"total\":25},\"region\":\"eu-west-1\"}"),
                Probe.body("small", "{\"order\":{\"kind\":\"big\",\"total\":5},\"region\":\"eu-west-1\"}"),
                Probe.body("us", "{\"order\":{\"kind\":\"big\",\"total\":25},\"region\":\"us-east-1\"}"),
                Probe.body("not-json", "plain text order big"),
                Probe.attrs("attributes-do-not-count", "region", "String", "eu-west-1")))
                .containsExactly("match");
    }

    @Test
    void policiesThatAreNotJsonAreQuotedInTheError() {
        String topic = sns.createTopic(b -> b.name(unique("json"))).topicArn();
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:" + unique("q"))).subscriptionArn();
        for (String attribute : List.of("FilterPolicy", "RedrivePolicy")) {
            assertNotJson(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription)
                    .attributeName(attribute).attributeValue("{")), attribute);
        }
        assertNotJson(() -> sns.setTopicAttributes(b -> b.topicArn(topic)
                .attributeName("DeliveryPolicy").attributeValue("{")), "DeliveryPolicy");
    }

    private static void assertNotJson(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String attribute) {
        assertThatThrownBy(call)
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Invalid parameter: " + attribute + ": failed to parse JSON. Unexpected end-of-input")
                .hasMessageContaining("at [Source: (String)\"{\"; line: 1, column: 2]")
                .hasMessageNotContaining("REDACTED");
    }

    @Test
    void invalidPoliciesAreRejectedWithAwsMessages() {
        String topic = sns.createTopic(b -> b.name(unique("bad"))).topicArn();
        String queue = "arn:aws:sqs:us-east-1:000000000000:" + unique("q");
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)).subscriptionArn();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"key\":[[\"value\"]]}", "FilterPolicy: Match value must be String, number, true, false, or null\n at [Source: (String)\"{\"key\":[[\"value\"]]}\"; line: 1, column: 10]");
        cases.put("{\"key\":[{\"wrong-operator\":true}]}", "FilterPolicy: Unrecognized match type wrong-operator");
        cases.put("{\"key\":[{\"wildcard\":\"a*\"}]}", "FilterPolicy: Unrecognized match type wildcard\n at [Source: (String)\"{\"key\":[{\"wildcard\":\"a*\"}]}\"; line: 1, column: 22]");
        cases.put("{\"key\":[{\"anything-but\":{\"wildcard\":\"a*\"}}]}", "FilterPolicy: Unrecognized match type wildcard");
        cases.put("{\"key\":[{\"suffix\":100}]}", "FilterPolicy: suffix match pattern must be a string");
        cases.put("{\"key\":[{\"numeric\":[\">\",3,\"<\",1]}]}", "FilterPolicy: Bottom must be less than top");
        cases.put("{\"key\":[{\"exists\":\"no\"}]}", "FilterPolicy: exists match pattern must be either true or false.");
        cases.put("{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}", "FilterPolicy: Filter policy can not have more than 5 keys");
        cases.put("{\"a\":[1,2,3,4,5,6,7,8,9,10],\"b\":[1,2,3,4,5,6,7,8,9,10],\"c\":[1,2]}", "FilterPolicy: Filter policy is too complex");
        cases.put("{\"key\":{\"nested\":[\"x\"]}}", "Filter policy scope MessageAttributes does not support nested filter policy");
        cases.forEach((policy, message) -> {
            assertThatThrownBy(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription)
                    .attributeName("FilterPolicy").attributeValue(policy)))
                    .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: " + message);
            assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue + "-2")
                    .attributes(Map.of("FilterPolicy", policy))))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessageStartingWith("Invalid parameter: Attributes Reason: " + message);
        });
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("FilterPolicyScope").attributeValue("MessageBody"));
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("FilterPolicy").attributeValue(
                "{\"wildcard\":{\"x\":[\"y\"]}}"));
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("FilterPolicy").attributeValue(
                "{\"a\":{\"b\":{\"c\":[1,2,3,4]}},\"d\":{\"e\":[1,2,3]}}"));
        assertThatThrownBy(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("FilterPolicy")
                .attributeValue("{\"a\":{\"b\":{\"c\":[1,2,3,4,5,6,7]}},\"d\":{\"e\":[1,2,3,4]}}")))
                .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("Invalid parameter: FilterPolicy: Filter policy is too complex");
    }
}
