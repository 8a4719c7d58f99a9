package io.eddy.sns;

import static io.eddy.protocol.query.QueryShape.BLOB;
import static io.eddy.protocol.query.QueryShape.BOOLEAN;
import static io.eddy.protocol.query.QueryShape.STRING;
import static io.eddy.protocol.query.QueryShape.list;
import static io.eddy.protocol.query.QueryShape.map;
import static io.eddy.protocol.query.QueryShape.structure;

import io.eddy.protocol.query.QueryApi;
import io.eddy.protocol.query.QueryShape;

/** SNS's operations as the Query protocol carries them (shapes after the AWS SDK's SNS model). */
public final class SnsApi {

    public static final String XML_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

    private SnsApi() {
    }

    public static QueryApi create() {
        QueryShape.MapShape attributes = map(STRING);
        QueryShape.ListShape tags = list(structure().member("Key", STRING).member("Value", STRING));
        QueryShape.MapShape messageAttributes = map("Name", "Value",
                structure().member("DataType", STRING).member("StringValue", STRING).member("BinaryValue", BLOB));
        QueryShape.ListShape subscriptions = list(structure()
                .member("SubscriptionArn", STRING).member("Owner", STRING).member("Protocol", STRING)
                .member("Endpoint", STRING).member("TopicArn", STRING));
        QueryShape.Structure empty = structure();

        return new QueryApi(XML_NAMESPACE)
                .invalidValueCode("InvalidParameter")
                .operation("CreateTopic",
                        structure().member("Name", STRING).member("Attributes", attributes).member("Tags", tags)
                                .member("DataProtectionPolicy", STRING),
                        structure().member("TopicArn", STRING))
                .operation("DeleteTopic", structure().member("TopicArn", STRING), null)
                .operation("ListTopics",
                        structure().member("NextToken", STRING),
                        structure().member("Topics", list(structure().member("TopicArn", STRING))).member("NextToken", STRING))
                .operation("GetTopicAttributes",
                        structure().member("TopicArn", STRING),
                        structure().member("Attributes", attributes))
                .operation("SetTopicAttributes",
                        structure().member("TopicArn", STRING).member("AttributeName", STRING).member("AttributeValue", STRING),
                        null)
                .operation("Subscribe",
                        structure().member("TopicArn", STRING).member("Protocol", STRING).member("Endpoint", STRING)
                                .member("Attributes", attributes).member("ReturnSubscriptionArn", BOOLEAN),
                        structure().member("SubscriptionArn", STRING))
                .operation("ConfirmSubscription",
                        structure().member("TopicArn", STRING).member("Token", STRING)
                                .member("AuthenticateOnUnsubscribe", STRING),
                        structure().member("SubscriptionArn", STRING))
                .operation("Unsubscribe", structure().member("SubscriptionArn", STRING), null)
                .operation("ListSubscriptions",
                        structure().member("NextToken", STRING),
                        structure().member("Subscriptions", subscriptions).member("NextToken", STRING))
                .operation("ListSubscriptionsByTopic",
                        structure().member("TopicArn", STRING).member("NextToken", STRING),
                        structure().member("Subscriptions", subscriptions).member("NextToken", STRING))
                .operation("GetSubscriptionAttributes",
                        structure().member("SubscriptionArn", STRING),
                        structure().member("Attributes", attributes))
                .operation("SetSubscriptionAttributes",
                        structure().member("SubscriptionArn", STRING).member("AttributeName", STRING)
                                .member("AttributeValue", STRING),
                        null)
                .operation("Publish",
                        structure().member("TopicArn", STRING).member("TargetArn", STRING).member("PhoneNumber", STRING)
                                .member("Message", STRING).member("Subject", STRING).member("MessageStructure", STRING)
                                .member("MessageAttributes", messageAttributes)
                                .member("MessageDeduplicationId", STRING).member("MessageGroupId", STRING),
                        structure().member("MessageId", STRING).member("SequenceNumber", STRING))
                .operation("PublishBatch",
                        structure().member("TopicArn", STRING).member("PublishBatchRequestEntries", list(structure()
                                .member("Id", STRING).member("Message", STRING).member("Subject", STRING)
                                .member("MessageStructure", STRING).member("MessageAttributes", messageAttributes)
                                .member("MessageDeduplicationId", STRING).member("MessageGroupId", STRING))),
                        structure()
                                .member("Successful", list(structure().member("Id", STRING).member("MessageId", STRING)
                                        .member("SequenceNumber", STRING)))
                                .member("Failed", list(structure().member("Id", STRING).member("Code", STRING)
                                        .member("Message", STRING).member("SenderFault", BOOLEAN))))
                .operation("TagResource",
                        structure().member("ResourceArn", STRING).member("Tags", tags), empty)
                .operation("UntagResource",
                        structure().member("ResourceArn", STRING).member("TagKeys", list(STRING)), empty)
                .operation("ListTagsForResource",
                        structure().member("ResourceArn", STRING),
                        structure().member("Tags", tags))
                .operation("AddPermission",
                        structure().member("TopicArn", STRING).member("Label", STRING)
                                .member("AWSAccountId", list(STRING)).member("ActionName", list(STRING)),
                        null)
                .operation("RemovePermission", structure().member("TopicArn", STRING).member("Label", STRING), null)
                .operation("SetSMSAttributes", structure().member("attributes", attributes), empty)
                .operation("GetSMSAttributes",
                        structure().member("attributes", list(STRING)),
                        structure().member("attributes", attributes))
                .operation("CheckIfPhoneNumberIsOptedOut",
                        structure().member("phoneNumber", STRING),
                        structure().member("isOptedOut", BOOLEAN))
                .operation("ListPhoneNumbersOptedOut",
                        structure().member("nextToken", STRING),
                        structure().member("phoneNumbers", list(STRING)).member("nextToken", STRING))
                .operation("OptInPhoneNumber", structure().member("phoneNumber", STRING), empty)
                .operation("CreatePlatformApplication",
                        structure().member("Name", STRING).member("Platform", STRING).member("Attributes", attributes),
                        structure().member("PlatformApplicationArn", STRING))
                .operation("GetPlatformApplicationAttributes",
                        structure().member("PlatformApplicationArn", STRING),
                        structure().member("Attributes", attributes))
                .operation("SetPlatformApplicationAttributes",
                        structure().member("PlatformApplicationArn", STRING).member("Attributes", attributes), null)
                .operation("ListPlatformApplications",
                        structure().member("NextToken", STRING),
                        structure().member("PlatformApplications", list(structure()
                                .member("PlatformApplicationArn", STRING).member("Attributes", attributes)))
                                .member("NextToken", STRING))
                .operation("DeletePlatformApplication", structure().member("PlatformApplicationArn", STRING), null)
                .operation("CreatePlatformEndpoint",
                        structure().member("PlatformApplicationArn", STRING).member("Token", STRING)
                                .member("CustomUserData", STRING).member("Attributes", attributes),
                        structure().member("EndpointArn", STRING))
                .operation("GetEndpointAttributes",
                        structure().member("EndpointArn", STRING),
                        structure().member("Attributes", attributes))
                .operation("SetEndpointAttributes",
                        structure().member("EndpointArn", STRING).member("Attributes", attributes), null)
                .operation("DeleteEndpoint", structure().member("EndpointArn", STRING), null)
                .operation("ListEndpointsByPlatformApplication",
                        structure().member("PlatformApplicationArn", STRING).member("NextToken", STRING),
                        structure().member("Endpoints", list(structure()
                                .member("EndpointArn", STRING).member("Attributes", attributes)))
                                .member("NextToken", STRING));
    }
}
