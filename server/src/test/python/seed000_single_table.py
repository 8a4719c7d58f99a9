"""Seed 000's single-table design driven through boto3 and the AWS CLI against Eddy.

Run with AWS_ENDPOINT_URL pointing at Eddy. Exits non-zero on the first mismatch.
"""
import json
import os
import subprocess
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Key, Attr
from botocore.exceptions import ClientError

from eddy_e2e import check

TABLE = "seed000-" + os.environ.get("EDDY_TEST_SUFFIX", "t")
ddb = boto3.resource("dynamodb")
client = boto3.client("dynamodb")


client.create_table(
    TableName=TABLE,
    BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                          for n in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")],
    KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
    GlobalSecondaryIndexes=[
        {"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
         "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"}, {"AttributeName": "GSI1SK", "KeyType": "RANGE"}]},
        {"IndexName": "GSI2", "Projection": {"ProjectionType": "ALL"},
         "KeySchema": [{"AttributeName": "GSI2PK", "KeyType": "HASH"}, {"AttributeName": "GSI2SK", "KeyType": "RANGE"}]},
    ],
    StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
)
client.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
table = ddb.Table(TABLE)
description = client.describe_table(TableName=TABLE)["Table"]
check(description["TableStatus"] == "ACTIVE", "table is ACTIVE")
check(sorted(i["IndexName"] for i in description["GlobalSecondaryIndexes"]) == ["GSI1", "GSI2"], "both GSIs described")
check(description.get("LatestStreamArn", "").startswith("arn:aws:dynamodb:"), "stream ARN present")

user = {"PK": "USER#stream-user-001", "SK": "PROFILE", "GSI1PK": "USER#john.stream@example.com", "GSI1SK": "PROFILE",
        "user_id": "stream-user-001", "name": "John Stream", "email": "john.stream@example.com",
        "registration_date": "2025-08-11T16:45:00Z", "account_type": "standard", "stream_test": True}
product = {"PK": "PRODUCT#stream-prod-001", "SK": "DETAILS", "GSI1PK": "CATEGORY#electronics",
           "GSI1SK": "PRODUCT#stream-prod-001", "GSI2PK": "PRICE#100-500", "GSI2SK": "PRODUCT#stream-prod-001",
           "product_id": "stream-prod-001", "name": "Stream Test Smartphone",
           "description": "Test product for stream processing", "category": "electronics",
           "price": 299, "stock": 50, "created_date": "2025-08-11T16:50:00Z", "stream_test": True}
order = {"PK": "USER#stream-user-001", "SK": "ORDER#stream-order-001", "GSI1PK": "ORDER#stream-order-001",
         "GSI1SK": "DETAILS", "GSI2PK": "STATUS#pending", "GSI2SK": "ORDER#stream-order-001",
         "order_id": "stream-order-001", "user_id": "stream-user-001", "product_id": "stream-prod-001",
         "quantity": 1, "total_amount": 299, "status": "pending", "order_date": "2025-08-11T16:55:00Z",
         "stream_test": True}
for item in (user, product, order):
    table.put_item(Item=item, ConditionExpression=Attr("PK").not_exists())

with table.batch_writer() as batch:
    for n in range(1, 6):
        batch.put_item(Item={"PK": "BATCH#test-%03d" % n, "SK": "DATA", "test_type": "batch_processing",
                             "created_at": "2025-08-11T17:10:%02dZ" % (n * 5)})

got = table.get_item(Key={"PK": "USER#stream-user-001", "SK": "PROFILE"})["Item"]
check(got == user, "user round-trips exactly: %r" % got)
check(table.get_item(Key={"PK": "PRODUCT#stream-prod-001", "SK": "DETAILS"})["Item"]["price"] == Decimal(299),
      "numbers come back as numbers")

# The user's items: profile and orders under one partition, in sort-key order.
items = table.query(KeyConditionExpression=Key("PK").eq("USER#stream-user-001"))["Items"]
check([i["SK"] for i in items] == ["ORDER#stream-order-001", "PROFILE"], "partition query order: %r" % items)
orders = table.query(KeyConditionExpression=Key("PK").eq("USER#stream-user-001") & Key("SK").begins_with("ORDER#"))
check(orders["Count"] == 1 and orders["Items"][0]["order_id"] == "stream-order-001", "begins_with on SK")

# Access patterns through the GSIs.
electronics = table.query(IndexName="GSI1", KeyConditionExpression=Key("GSI1PK").eq("CATEGORY#electronics"))
check([i["product_id"] for i in electronics["Items"]] == ["stream-prod-001"], "GSI1 category query")
by_email = table.query(IndexName="GSI1", KeyConditionExpression=Key("GSI1PK").eq("USER#john.stream@example.com"))
check(by_email["Items"][0]["user_id"] == "stream-user-001", "GSI1 user by email")
pending = table.query(IndexName="GSI2", KeyConditionExpression=Key("GSI2PK").eq("STATUS#pending"))
check([i["order_id"] for i in pending["Items"]] == ["stream-order-001"], "GSI2 orders by status")

# Status change with a condition, moving the order between GSI2 partitions.
updated = table.update_item(
    Key={"PK": "USER#stream-user-001", "SK": "ORDER#stream-order-001"},
    UpdateExpression="SET #s = :new, GSI2PK = :gsi, last_modified = :now",
    ConditionExpression="#s = :old",
    ExpressionAttributeNames={"#s": "status"},
    ExpressionAttributeValues={":new": "processing", ":old": "pending", ":gsi": "STATUS#processing",
                               ":now": "2025-08-11T17:00:00Z"},
    ReturnValues="UPDATED_OLD")
check(updated["Attributes"] == {"status": "pending", "GSI2PK": "STATUS#pending"}, "UPDATED_OLD: %r" % updated)
check(table.query(IndexName="GSI2", KeyConditionExpression=Key("GSI2PK").eq("STATUS#pending"))["Count"] == 0,
      "order left the pending partition")
try:
    table.update_item(Key={"PK": "USER#stream-user-001", "SK": "ORDER#stream-order-001"},
                      UpdateExpression="SET #s = :new", ConditionExpression="#s = :old",
                      ExpressionAttributeNames={"#s": "status"},
                      ExpressionAttributeValues={":new": "shipped", ":old": "pending"})
    check(False, "stale condition must fail")
except ClientError as e:
    check(e.response["Error"]["Code"] == "ConditionalCheckFailedException", "condition failure code")

# Price change, then the product is deleted and comes back as ALL_OLD.
table.update_item(Key={"PK": "PRODUCT#stream-prod-001", "SK": "DETAILS"}, UpdateExpression="SET price = :p",
                  ExpressionAttributeValues={":p": 279})
old = table.delete_item(Key={"PK": "PRODUCT#stream-prod-001", "SK": "DETAILS"}, ReturnValues="ALL_OLD")["Attributes"]
check(old["price"] == Decimal(279), "deleted product had the new price")

scan = table.scan(FilterExpression=Attr("test_type").eq("batch_processing"))
check(sorted(i["PK"] for i in scan["Items"]) == ["BATCH#test-%03d" % n for n in range(1, 6)], "batch items scanned")

# The AWS CLI sees the same data.
env = dict(os.environ)
out = subprocess.run(["aws", "dynamodb", "get-item", "--table-name", TABLE, "--output", "json",
                      "--key", json.dumps({"PK": {"S": "BATCH#test-003"}, "SK": {"S": "DATA"}})],
                     env=env, capture_output=True, text=True)
check(out.returncode == 0, "aws cli get-item: " + out.stderr)
check(json.loads(out.stdout)["Item"]["created_at"]["S"] == "2025-08-11T17:10:15Z", "aws cli reads the batch item")

try:
    client.describe_table(TableName="no-such-table")
    check(False, "missing table must fail")
except ClientError as e:
    check(e.response["Error"]["Code"] == "ResourceNotFoundException", "missing table code")

print("seed000 OK")
