package io.eddy.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.gateway.RequestContext;
import io.eddy.protocol.AwsException;
import io.eddy.store.RocksStore;
import io.eddy.store.Store;

/**
 * DynamoDB's answers to requests that do not fit the API model, as AWS gives them (messages from
 * captures of real DynamoDB responses), and a randomized check that no mutation of a valid request
 * gets anything but one of DynamoDB's own errors.
 */
class RequestShapesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final RequestContext CTX = new RequestContext("123456789012", "eu-west-1", "req-1", "localhost");
    static final String SERIALIZATION = "com.amazon.coral.service#SerializationException";
    static final String VALIDATION = "com.amazon.coral.validate#ValidationException";

    Store store;
    DynamoDbService service;

    @BeforeEach
    void open() {
        store = RocksStore.inMemory();
        service = new DynamoDbService(store, Clock.systemUTC(), Duration.ofMillis(50));
        call("CreateTable", """
                {"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
                  {"AttributeName":"g","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
                 "GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                  "Projection":{"ProjectionType":"ALL"}}]}""");
    }

    @AfterEach
    void close() {
        service.close();
        store.close();
    }

    ObjectNode call(String operation, String body) {
        return service.invoke(operation, parse(body), CTX);
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    AwsException error(String operation, String body) {
        AwsException e = catchThrowableOfType(AwsException.class, () -> call(operation, body));
        assertThat(e).as(operation + " " + body).isNotNull();
        return e;
    }

    String serialization(String operation, String body) {
        AwsException e = error(operation, body);
        assertThat(e.type()).as(body).isEqualTo(SERIALIZATION);
        assertThat(e.messageMember()).isEqualTo("Message");
        return e.getMessage();
    }

    String validation(String operation, String body) {
        AwsException e = error(operation, body);
        assertThat(e.type()).as(body).isEqualTo(VALIDATION);
        return e.getMessage();
    }

    @Test
    void membersOfTheWrongTypeAreSerializationExceptions() {
        assertThat(serialization("PutItem", "{\"TableName\":5,\"Item\":{}}")).isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertThat(serialization("Query", "{\"TableName\":\"tbl\",\"Limit\":\"abc\"}"))
                .isEqualTo("STRING_VALUE cannot be converted to Integer");
        assertThat(serialization("PutItem", "{\"TableName\":\"tbl\",\"Item\":[]}"))
                .isEqualTo("Unrecognized collection type java.util.Map<java.lang.String, "
                        + "com.amazonaws.dynamodb.v20120810.AttributeValue>");
        assertThat(serialization("GetItem", "{\"TableName\":\"tbl\",\"Key\":{\"pk\":\"x\"}}"))
                .isEqualTo("Unexpected value type in payload");
        assertThat(serialization("PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"pk\":{\"S\":true}}}"))
                .isEqualTo("TRUE_VALUE cannot be converted to String");
        assertThat(serialization("PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"pk\":{\"N\":5}}}"))
                .isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertThat(serialization("PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"b\":{\"B\":\"23456\"}}}"))
                .isEqualTo("Base64 encoded length is expected a multiple of 4 bytes but found: 5");
        assertThat(serialization("PutItem", "{\"TableName\":\"tbl\",\"Item\":{\"l\":{\"L\":\"x\"}}}"))
                .isEqualTo("Unexpected field type");
        assertThat(serialization("BatchWriteItem", "{\"RequestItems\":{\"tbl\":\"x\"}}"))
                .startsWith("class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast");
        assertThat(serialization("CreateTable", "{\"TableName\":\"t2\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":\"1\"}}"))
                .isEqualTo("STRING_VALUE cannot be converted to Long");
        // a type error anywhere wins over validation errors elsewhere
        assertThat(serialization("PutItem", "{\"Item\":{\"a\":{\"BOOL\":\"yes\"}}}"))
                .isEqualTo("Unexpected token received from parser");
    }

    @Test
    void unknownMembersAndNullsAreIgnored() {
        assertThatCode(() -> call("PutItem", """
                {"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"NoSuchMember":{"x":[1,2]},
                 "ReturnValues":null,"Expected":null}""")).doesNotThrowAnyException();
        assertThat(call("GetItem", """
                {"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"Whatever":true}""").has("Item")).isTrue();
    }

    @Test
    void missingRequiredMembersAndConstraintsAreOneValidationException() {
        assertThat(validation("PutItem", "{}")).isEqualTo("2 validation errors detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'item' failed to satisfy constraint: Member must not be null");
        assertThat(validation("PutItem", "{\"TableName\":\"x\",\"Item\":{}}")).isEqualTo("1 validation error detected: "
                + "Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        assertThat(validation("PutItem", "{\"TableName\":\"\",\"Item\":{}}")).isEqualTo("1 validation error detected: "
                + "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
        assertThat(validation("PutItem", "{\"TableName\":\"bad table!@#\",\"Item\":{}}")).isEqualTo(
                "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assertThat(validation("PutItem", """
                {"TableName":"abc;","ReturnConsumedCapacity":"hi","ReturnItemCollectionMetrics":"hi","ReturnValues":"hi"}"""))
                .isEqualTo("5 validation errors detected: "
                        + "Value 'abc;' at 'tableName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                        + "Value null at 'item' failed to satisfy constraint: Member must not be null; "
                        + "Value 'hi' at 'returnValues' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "
                        + "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
                        + "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [SIZE, NONE]");
        assertThat(validation("Scan", "{\"TableName\":\"tbl\",\"Limit\":0}")).isEqualTo("1 validation error detected: "
                + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertThat(validation("Query", "{\"TableName\":\"tbl\",\"Select\":\"INVALID_VALUE\"}")).isEqualTo(
                "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }

    @Test
    void createTableConstraintsNameTheMemberPath() {
        assertThat(validation("CreateTable", """
                {"TableName":"t2","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"INVALID"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"INVALID"}],"BillingMode":"PAY_PER_REQUEST"}"""))
                .isEqualTo("3 validation errors detected: "
                        + "Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [B, N, S]; "
                        + "Value 't2' at 'tableName' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 3; "
                        + "Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [HASH, RANGE]");
        assertThat(validation("CreateTable", """
                {"TableName":"three","BillingMode":"PAY_PER_REQUEST",
                 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
                 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"},
                  {"AttributeName":"extra","KeyType":"RANGE"}]}"""))
                .isEqualTo("1 validation error detected: Value '[KeySchemaElement(attributeName=pk, keyType=HASH), "
                        + "KeySchemaElement(attributeName=sk, keyType=RANGE), KeySchemaElement(attributeName=extra, "
                        + "keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 2");
        assertThat(validation("CreateTable", """
                {"TableName":"three","ProvisionedThroughput":{"ReadCapacityUnits":0}}"""))
                .contains("Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1")
                .contains("Value null at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void batchConstraintsDescribeMapKeysAndValues() {
        StringBuilder writes = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            writes.append(i == 0 ? "" : ",").append("{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"k").append(i)
                    .append("\"},\"sk\":{\"N\":\"1\"}}}}");
        }
        assertThat(validation("BatchWriteItem", "{\"RequestItems\":{\"tbl\":[" + writes + "]}}"))
                .matches("(?s)1 validation error detected: Value '\\{tbl=\\[WriteRequest\\(putRequest=PutRequest\\(item=\\{.+\\}\\), "
                        + "deleteRequest=null\\).+\\]\\}' at 'requestItems' failed to satisfy constraint: Map value must "
                        + "satisfy constraint: \\[Member must have length less than or equal to 25, "
                        + "Member must have length greater than or equal to 1\\]");
        assertThat(validation("BatchWriteItem", "{\"RequestItems\":{\"aa;\":[{\"PutRequest\":{},\"DeleteRequest\":{}}]}}"))
                .isEqualTo("3 validation errors detected: "
                        + "Value '{aa;=[WriteRequest(putRequest=PutRequest(item=null), deleteRequest=DeleteRequest(key=null))]}' "
                        + "at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
                        + "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; "
                        + "Value null at 'requestItems.aa;.member.1.member.putRequest.item' failed to satisfy constraint: "
                        + "Member must not be null; "
                        + "Value null at 'requestItems.aa;.member.1.member.deleteRequest.key' failed to satisfy constraint: "
                        + "Member must not be null");
        assertThat(validation("BatchGetItem", "{\"RequestItems\":{\"tbl\":null}}")).isEqualTo("1 validation error detected: "
                + "Value null at 'requestItems.tbl.member.keys' failed to satisfy constraint: Member must not be null");
        assertThat(validation("TransactWriteItems", "{\"TransactItems\":[]}")).isEqualTo("1 validation error detected: "
                + "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    /** Valid requests, one or more per operation, that the mutations start from. */
    static final List<String[]> SEEDS = List.of(
            new String[] {"PutItem", """
                    {"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"m":{"M":{"l":{"L":[{"N":"1"},
                     {"SS":["p","q"]},{"B":"AAEC"},{"NULL":true},{"BOOL":false}]}}},"ns":{"NS":["1","2"]}},
                     "ConditionExpression":"attribute_not_exists(#p) OR #p = :v","ExpressionAttributeNames":{"#p":"pk"},
                     "ExpressionAttributeValues":{":v":{"S":"a"}},"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"TOTAL"}"""},
            new String[] {"PutItem", """
                    {"TableName":"tbl","Item":{"pk":{"S":"b"},"sk":{"N":"2"}},"Expected":{"pk":{"Exists":false}},
                     "ReturnItemCollectionMetrics":"SIZE"}"""},
            new String[] {"GetItem", """
                    {"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ProjectionExpression":"#m.l[0], g",
                     "ExpressionAttributeNames":{"#m":"m"},"ConsistentRead":true,"ReturnConsumedCapacity":"INDEXES"}"""},
            new String[] {"GetItem", """
                    {"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributesToGet":["pk","g"]}"""},
            new String[] {"UpdateItem", """
                    {"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
                     "UpdateExpression":"SET #c = if_not_exists(#c, :zero) + :one, l = list_append(:l, :l) REMOVE g ADD ns :ns",
                     "ConditionExpression":"size(#m) > :zero","ExpressionAttributeNames":{"#c":"count","#m":"m"},
                     "ExpressionAttributeValues":{":zero":{"N":"0"},":one":{"N":"1"},":l":{"L":[{"S":"x"}]},":ns":{"NS":["3"]}},
                     "ReturnValues":"UPDATED_NEW"}"""},
            new String[] {"UpdateItem", """
                    {"TableName":"tbl","Key":{"pk":{"S":"c"},"sk":{"N":"3"}},
                     "AttributeUpdates":{"v":{"Value":{"N":"5"},"Action":"ADD"},"w":{"Action":"DELETE"}},
                     "Expected":{"v":{"ComparisonOperator":"NULL"}},"ReturnValues":"ALL_NEW"}"""},
            new String[] {"DeleteItem", """
                    {"TableName":"tbl","Key":{"pk":{"S":"b"},"sk":{"N":"2"}},"ConditionExpression":"attribute_exists(pk)",
                     "ReturnValues":"ALL_OLD","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}"""},
            new String[] {"Query", """
                    {"TableName":"tbl","KeyConditionExpression":"pk = :p AND sk BETWEEN :a AND :b",
                     "FilterExpression":"attribute_exists(g)","ExpressionAttributeValues":{":p":{"S":"a"},":a":{"N":"0"},
                     ":b":{"N":"9"}},"Limit":5,"ScanIndexForward":false,"Select":"ALL_ATTRIBUTES",
                     "ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"0"}}}"""},
            new String[] {"Query", """
                    {"TableName":"tbl","IndexName":"byG","KeyConditions":{"g":{"AttributeValueList":[{"S":"x"}],
                     "ComparisonOperator":"EQ"}},"QueryFilter":{"sk":{"AttributeValueList":[{"N":"0"}],
                     "ComparisonOperator":"GT"}},"ConditionalOperator":"AND","Select":"COUNT"}"""},
            new String[] {"Scan", """
                    {"TableName":"tbl","Segment":0,"TotalSegments":2,"Limit":10,"ScanFilter":{"g":{"ComparisonOperator":
                     "NOT_NULL"}},"ReturnConsumedCapacity":"TOTAL"}"""},
            new String[] {"Scan", """
                    {"TableName":"tbl","IndexName":"byG","FilterExpression":"contains(#m.l, :v)",
                     "ExpressionAttributeNames":{"#m":"m"},"ExpressionAttributeValues":{":v":{"N":"1"}},
                     "ProjectionExpression":"pk, sk"}"""},
            new String[] {"BatchGetItem", """
                    {"RequestItems":{"tbl":{"Keys":[{"pk":{"S":"a"},"sk":{"N":"1"}},{"pk":{"S":"z"},"sk":{"N":"1"}}],
                     "ProjectionExpression":"pk","ConsistentRead":true}},"ReturnConsumedCapacity":"TOTAL"}"""},
            new String[] {"BatchWriteItem", """
                    {"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"d"},"sk":{"N":"4"}}}},
                     {"DeleteRequest":{"Key":{"pk":{"S":"e"},"sk":{"N":"5"}}}}]},"ReturnItemCollectionMetrics":"SIZE"}"""},
            new String[] {"TransactWriteItems", """
                    {"TransactItems":[{"Put":{"TableName":"tbl","Item":{"pk":{"S":"t"},"sk":{"N":"1"}}}},
                     {"Update":{"TableName":"tbl","Key":{"pk":{"S":"u"},"sk":{"N":"1"}},"UpdateExpression":"SET v = :v",
                      "ExpressionAttributeValues":{":v":{"S":"w"}}}},
                     {"ConditionCheck":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
                      "ConditionExpression":"attribute_exists(pk)"}},
                     {"Delete":{"TableName":"tbl","Key":{"pk":{"S":"x"},"sk":{"N":"1"}}}}],
                     "ClientRequestToken":"token-1","ReturnConsumedCapacity":"INDEXES"}"""},
            new String[] {"TransactGetItems", """
                    {"TransactItems":[{"Get":{"TableName":"tbl","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
                     "ProjectionExpression":"g"}}]}"""},
            new String[] {"ExecuteStatement", """
                    {"Statement":"SELECT * FROM \\"tbl\\" WHERE pk = ? AND sk > ?","Parameters":[{"S":"a"},{"N":"0"}],
                     "Limit":3,"ConsistentRead":true}"""},
            new String[] {"ExecuteStatement", """
                    {"Statement":"UPDATE \\"tbl\\" SET v = ? WHERE pk = 'a' AND sk = 1","Parameters":[{"N":"7"}]}"""},
            new String[] {"BatchExecuteStatement", """
                    {"Statements":[{"Statement":"INSERT INTO \\"tbl\\" VALUE {'pk': ?, 'sk': 9}","Parameters":[{"S":"q"}]},
                     {"Statement":"INSERT INTO \\"tbl\\" VALUE {'pk': 'r', 'sk': 10}"}]}"""},
            new String[] {"ExecuteTransaction", """
                    {"TransactStatements":[{"Statement":"DELETE FROM \\"tbl\\" WHERE pk = ? AND sk = ?",
                     "Parameters":[{"S":"q"},{"N":"9"}]}],"ClientRequestToken":"tx-1"}"""},
            new String[] {"CreateTable", """
                    {"TableName":"scratch","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":1,
                     "WriteCapacityUnits":1},"AttributeDefinitions":[{"AttributeName":"h","AttributeType":"B"},
                     {"AttributeName":"r","AttributeType":"S"}],"KeySchema":[{"AttributeName":"h","KeyType":"HASH"},
                     {"AttributeName":"r","KeyType":"RANGE"}],"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[
                     {"AttributeName":"h","KeyType":"HASH"},{"AttributeName":"r","KeyType":"RANGE"}],"Projection":{
                     "ProjectionType":"INCLUDE","NonKeyAttributes":["x"]}}],"StreamSpecification":{"StreamEnabled":true,
                     "StreamViewType":"NEW_IMAGE"},"Tags":[{"Key":"k","Value":"v"}],"TableClass":"STANDARD",
                     "SSESpecification":{"Enabled":true},"DeletionProtectionEnabled":false}"""},
            new String[] {"UpdateTable", """
                    {"TableName":"tbl","BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"h2",
                     "AttributeType":"N"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byH2","KeySchema":[
                     {"AttributeName":"h2","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}}]}"""},
            new String[] {"DescribeTable", "{\"TableName\":\"tbl\"}"},
            new String[] {"ListTables", "{\"ExclusiveStartTableName\":\"aaa\",\"Limit\":2}"},
            new String[] {"DeleteTable", "{\"TableName\":\"scratch\"}"},
            new String[] {"UpdateTimeToLive", """
                    {"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"ttl"}}"""},
            new String[] {"DescribeTimeToLive", "{\"TableName\":\"tbl\"}"},
            new String[] {"TagResource", """
                    {"ResourceArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/tbl","Tags":[{"Key":"a","Value":"b"}]}"""},
            new String[] {"UntagResource", """
                    {"ResourceArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/tbl","TagKeys":["a"]}"""},
            new String[] {"ListTagsOfResource", """
                    {"ResourceArn":"arn:aws:dynamodb:eu-west-1:123456789012:table/tbl"}"""},
            new String[] {"DescribeContinuousBackups", "{\"TableName\":\"tbl\"}"},
            new String[] {"UpdateContinuousBackups", """
                    {"TableName":"tbl","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,
                     "RecoveryPeriodInDays":7}}"""},
            new String[] {"DescribeEndpoints", "{}"},
            new String[] {"DescribeLimits", "{}"});

    void runSeeds() {
        for (String[] request : SEEDS) {
            assertThatCode(() -> call(request[0], request[1])).as(request[0] + " " + request[1]).doesNotThrowAnyException();
        }
    }

    @Test
    void seedRequestsAreValid() {
        runSeeds();
    }

    /**
     * Mutates valid requests (members deleted or set to null, values swapped for values of other
     * types, unknown members added, strings and numbers pushed to their edges) and runs them: every outcome is a
     * result or one of DynamoDB's own 400 errors with a message, never an unexpected exception.
     */
    @RepeatedTest(4)
    void mutatedRequestsOnlyEverGetDynamoDbErrors() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        runSeeds();
        for (int i = 0; i < 400; i++) {
            String[] seedRequest = SEEDS.get(random.nextInt(SEEDS.size()));
            JsonNode input = parse(seedRequest[1]);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) input = mutate(input, random);
            String description = "seed " + seed + ": " + seedRequest[0] + " " + input;
            try {
                ObjectNode out = service.invoke(seedRequest[0], input, CTX);
                assertThat(out).as(description).isNotNull();
            } catch (AwsException e) {
                assertThat(e.status()).as(description + " -> " + e.getMessage()).isEqualTo(400);
                assertThat(e.type()).as(description).startsWith("com.amazon");
                if (!e.type().endsWith("#UnknownOperationException")) assertThat(e.getMessage()).as(description).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError(description + " -> " + e, e);
            }
        }
    }

    static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        switch (random.nextInt(5)) {
            case 0 -> remove(target, random);
            case 4 -> replace(target, random, JsonNodeFactory.instance.nullNode());
            case 1 -> replace(target, random, randomValue(random, 0));
            case 2 -> {
                if (target instanceof ObjectNode object) object.set("Unknown" + random.nextInt(9), randomValue(random, 0));
                else ((ArrayNode) target).add(randomValue(random, 0));
            }
            default -> replace(target, random, edgeValue(random));
        }
        return root;
    }

    static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            for (JsonNode child : node) collect(child, containers);
        }
    }

    static void remove(JsonNode container, Random random) {
        if (container.isEmpty()) return;
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            object.remove(names.get(random.nextInt(names.size())));
        } else {
            ((ArrayNode) container).remove(random.nextInt(container.size()));
        }
    }

    static void replace(JsonNode container, Random random, JsonNode value) {
        if (container.isEmpty()) return;
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) names.add(it.next().getKey());
            object.set(names.get(random.nextInt(names.size())), value);
        } else {
            ((ArrayNode) container).set(random.nextInt(container.size()), value);
        }
    }

    static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(depth > 2 ? 7 : 9)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt(2001) - 1000);
            case 3 -> f.numberNode(random.nextDouble() * 1e6);
            case 4 -> f.textNode(randomText(random));
            case 5 -> f.textNode(List.of("S", "N", "B", "tbl", "ALL_OLD", "HASH", ":v", "#p", "1", "AAEC")
                    .get(random.nextInt(10)));
            case 6 -> f.numberNode(new java.math.BigInteger(80, random));
            case 7 -> {
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) array.add(randomValue(random, depth + 1));
                yield array;
            }
            default -> {
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(List.of("S", "N", "L", "M", "SS", "Key", "Item", "x").get(random.nextInt(8)),
                            randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    static JsonNode edgeValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(9)) {
            case 8 -> f.numberNode(Double.POSITIVE_INFINITY);
            case 0 -> f.textNode("");
            case 1 -> f.textNode("x".repeat(70_000));
            case 2 -> f.numberNode(0);
            case 3 -> f.numberNode(-1);
            case 4 -> f.numberNode(Long.MAX_VALUE);
            case 5 -> f.textNode("\u0000\uD83D\uDE00\u202E");
            case 6 -> f.arrayNode();
            default -> f.objectNode();
        };
    }

    static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) text.append((char) (0x20 + random.nextInt(0x5f)));
        return text.toString();
    }
}
