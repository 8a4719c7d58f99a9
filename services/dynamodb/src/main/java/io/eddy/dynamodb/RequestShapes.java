package io.eddy.dynamodb;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.eddy.dynamodb.model.DynamoDbErrors;
import io.eddy.protocol.shape.ShapeModel;
import io.eddy.protocol.shape.ShapeValidator;

/**
 * The checks DynamoDB makes on every request before running it, from its API model: members of the
 * wrong type fail with a SerializationException, then all violated constraints (required members,
 * lengths, ranges, patterns, enums) are reported in one ValidationException.
 */
final class RequestShapes {

    private static final ShapeValidator VALIDATOR = new ShapeValidator(model(), "com.amazonaws.dynamodb.v20120810",
            ShapeValidator.Wording.CANNOT_BE_CONVERTED_TO, DynamoDbErrors::serialization, DynamoDbErrors::validation);

    private RequestShapes() {
    }

    static void validate(String operation, JsonNode input) {
        VALIDATOR.validate(operation, input);
    }

    /** The published model, adjusted where DynamoDB itself answers differently. */
    static ShapeModel model() {
        return ShapeModel.load(RequestShapes.class.getResourceAsStream("input-shapes.json"))
                // members typed TableArn take a table name too, which must then be a valid table name
                .withAlternate("TableArn", "arn:", "TableName")
                // a table is created from its key schema and attribute definitions (the model also allows
                // creating a replica of a global table, which Eddy does not offer)
                .withRequired("CreateTableInput", "AttributeDefinitions", "KeySchema")
                // a key schema holds a partition key and at most one sort key
                .withMax("KeySchema", 2)
                // enum value sets as DynamoDB's messages list them
                .withEnumOrder("ReturnValue", List.of("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"))
                .withEnumOrder("Select", List.of("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"))
                .withEnumOrder("ScalarAttributeType", List.of("B", "N", "S"))
                .withEnumOrder("ComparisonOperator", List.of("IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT",
                        "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS"))
                .withOpaqueRendering("AttributeValue")
                // too many keys for one table: the message names the member but not the keys
                .withValueOmitted("KeyList");
    }
}
