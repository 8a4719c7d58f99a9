"""Seed 000, exercises 1-6: a table's stream drives a Python function through an event source mapping.

The handler is written as the seed describes it. Each exercise writes items with boto3, waits on
Eddy's drain endpoint instead of sleeping, and reads what happened the way the seed's reader does:
the function's log lines through FilterLogEvents and the AWS/Lambda metrics through GetMetricStatistics.
"""
import json
from datetime import datetime, timedelta, timezone

import boto3

from eddy_e2e import check, create_function, drain, lines, map_source

ddb = boto3.client("dynamodb")
sqs = boto3.client("sqs")
cloudwatch = boto3.client("cloudwatch")

HANDLER = '''
def handler(event, context):
    for record in event["Records"]:
        name = record["eventName"]
        image = record["dynamodb"]
        keys = image["Keys"]
        pk, sk = keys["PK"]["S"], keys["SK"]["S"]
        print("Processing %s for item: %s#%s" % (name, pk, sk))
        if name == "INSERT":
            if pk.startswith("USER#") and sk == "PROFILE":
                print("New user created - could send welcome email")
            elif pk.startswith("PRODUCT#"):
                print("New product created - could update search index")
            elif sk.startswith("ORDER#"):
                print("New order created - could trigger fulfillment")
        elif name == "MODIFY":
            print("Processing MODIFY event")
            old, new = image["OldImage"], image["NewImage"]
            if "status" in old and old["status"] != new.get("status"):
                print("Status changed from %s to %s" % (old["status"]["S"], new["status"]["S"]))
            if "price" in old and old["price"] != new.get("price"):
                print("Price changed from %s to %s" % (old["price"]["N"], new["price"]["N"]))
        elif name == "REMOVE":
            print("Processing REMOVE event")
            if pk.startswith("PRODUCT#"):
                print("Product deleted - could remove from search")
    print("Successfully processed %d records" % len(event["Records"]))
    return {"statusCode": 200}
'''

FAILING_HANDLER = '''
def handler(event, context):
    for record in event["Records"]:
        if "poison" in record["dynamodb"]["NewImage"]:
            raise ValueError("cannot process " + record["dynamodb"]["Keys"]["PK"]["S"])
    for record in event["Records"]:
        print("Handled " + record["dynamodb"]["Keys"]["PK"]["S"])
'''


def create_table(name):
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}, {"AttributeName": "SK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ddb.get_waiter("table_exists").wait(TableName=name)
    return ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def map_stream(function, stream_arn, **settings):
    return map_source(function, stream_arn, StartingPosition="LATEST", **settings)


def s(value):
    return {"S": value}


def n(value):
    return {"N": str(value)}


# Setup: the seed's checklist (stream enabled, function deployed, mapping active, logs accessible).
stream = create_table("seed000-stream")
create_function("seed000-processor", HANDLER)
map_stream("seed000-processor", stream, BatchSize=100, MaximumBatchingWindowInSeconds=1)

# Exercise 1: INSERT events for a user, a product and an order.
ddb.put_item(TableName="seed000-stream", Item={
    "PK": s("USER#stream-user-001"), "SK": s("PROFILE"), "GSI1PK": s("USER#john.stream@example.com"),
    "GSI1SK": s("PROFILE"), "user_id": s("stream-user-001"), "name": s("John Stream"),
    "email": s("john.stream@example.com"), "registration_date": s("2025-08-11T16:45:00Z"),
    "account_type": s("standard"), "stream_test": {"BOOL": True}})
ddb.put_item(TableName="seed000-stream", Item={
    "PK": s("PRODUCT#stream-prod-001"), "SK": s("DETAILS"), "GSI1PK": s("CATEGORY#electronics"),
    "GSI1SK": s("PRODUCT#stream-prod-001"), "product_id": s("stream-prod-001"),
    "name": s("Stream Test Smartphone"), "category": s("electronics"), "price": n(299), "stock": n(50),
    "stream_test": {"BOOL": True}})
ddb.put_item(TableName="seed000-stream", Item={
    "PK": s("USER#stream-user-001"), "SK": s("ORDER#stream-order-001"), "GSI2PK": s("STATUS#pending"),
    "order_id": s("stream-order-001"), "quantity": n(1), "total_amount": n(299), "status": s("pending"),
    "stream_test": {"BOOL": True}})
drain()
check(lines("seed000-processor", "Processing INSERT for item: USER#stream-user-001#PROFILE")
      == ["Processing INSERT for item: USER#stream-user-001#PROFILE"], "user INSERT processed once")
check(len(lines("seed000-processor", "New user created - could send welcome email")) == 1, "welcome email logic")
check(len(lines("seed000-processor", "New product created - could update search index")) == 1, "search index logic")
check(len(lines("seed000-processor", "New order created - could trigger fulfillment")) == 1, "fulfillment logic")

# Exercise 2: MODIFY events with status and price change detection, and a multi-field update.
ddb.update_item(TableName="seed000-stream", Key={"PK": s("USER#stream-user-001"), "SK": s("ORDER#stream-order-001")},
                UpdateExpression="SET #s = :s, last_modified = :t", ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":s": s("processing"), ":t": s("2025-08-11T17:00:00Z")})
ddb.update_item(TableName="seed000-stream", Key={"PK": s("PRODUCT#stream-prod-001"), "SK": s("DETAILS")},
                UpdateExpression="SET price = :p", ExpressionAttributeValues={":p": n(279)})
ddb.update_item(TableName="seed000-stream", Key={"PK": s("USER#stream-user-001"), "SK": s("PROFILE")},
                UpdateExpression="SET #n = :n, last_login = :l, login_count = :c", ExpressionAttributeNames={"#n": "name"},
                ExpressionAttributeValues={":n": s("John Stream Updated"), ":l": s("2025-08-11T17:00:00Z"), ":c": n(5)})
drain()
check(lines("seed000-processor", "Status changed from pending to processing")
      == ["Status changed from pending to processing"], "status change detected")
check(lines("seed000-processor", "Price changed from 299 to 279") == ["Price changed from 299 to 279"], "price change")
check(len(lines("seed000-processor", "Processing MODIFY event")) == 3, "three MODIFY events")

# Exercise 3: REMOVE events, then the cleanup of the remaining items.
ddb.delete_item(TableName="seed000-stream", Key={"PK": s("PRODUCT#stream-prod-001"), "SK": s("DETAILS")})
drain()
check(lines("seed000-processor", "Product deleted - could remove from search")
      == ["Product deleted - could remove from search"], "product REMOVE logic")
ddb.delete_item(TableName="seed000-stream", Key={"PK": s("USER#stream-user-001"), "SK": s("ORDER#stream-order-001")})
ddb.delete_item(TableName="seed000-stream", Key={"PK": s("USER#stream-user-001"), "SK": s("PROFILE")})
drain()
check(len(lines("seed000-processor", "Processing REMOVE event")) == 3, "three REMOVE events")

# Exercise 4: five rapid writes are processed in fewer than five invocations.
before = len(lines("seed000-processor", "Successfully processed"))
for i in range(1, 6):
    ddb.put_item(TableName="seed000-stream", Item={"PK": s("BATCH#test-%03d" % i), "SK": s("DATA"),
                                                   "test_type": s("batch_processing")})
drain()
batch_lines = lines("seed000-processor", "Successfully processed")[before:]
check(sum(int(line.split()[2]) for line in batch_lines) == 5, "all five batch records processed: %r" % batch_lines)
check(len(batch_lines) < 5, "batching window grouped the writes: %r" % batch_lines)
check(len(lines("seed000-processor", "Processing INSERT for item: BATCH#")) == 5, "each batch item processed once")

# Exercise 6: a failing handler retries, bisects to the poison record, and sends it to an SQS
# on-failure destination while the other records succeed.
failures = sqs.create_queue(QueueName="seed000-stream-failures")["QueueUrl"]
failures_arn = sqs.get_queue_attributes(QueueUrl=failures, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
errors_stream = create_table("seed000-errors")
create_function("seed000-failing", FAILING_HANDLER)
map_stream("seed000-failing", errors_stream, BatchSize=10, MaximumBatchingWindowInSeconds=1,
           MaximumRetryAttempts=1, BisectBatchOnFunctionError=True,
           DestinationConfig={"OnFailure": {"Destination": failures_arn}})
with boto3.resource("dynamodb").Table("seed000-errors").batch_writer() as batch:
    for i in range(1, 5):
        item = {"PK": "ERR#%d" % i, "SK": "DATA"}
        if i == 3:
            item["poison"] = True
        batch.put_item(Item=item)
drain()
handled = sorted(line.split()[1] for line in lines("seed000-failing", "Handled"))
check(handled == ["ERR#1", "ERR#2", "ERR#4"], "the good records succeeded: %r" % handled)
received = sqs.receive_message(QueueUrl=failures, MaxNumberOfMessages=10, WaitTimeSeconds=5)["Messages"]
check(len(received) == 1, "one failure record")
record = json.loads(received[0]["Body"])
check(record["requestContext"]["condition"] == "RetryAttemptsExhausted", "failure condition")
check(record["responseContext"]["functionError"] == "Unhandled", "function error")
check(record["DDBStreamBatchInfo"]["batchSize"] == 1 and record["DDBStreamBatchInfo"]["streamArn"] == errors_stream,
      "failure record names only the poison record: %r" % record)

# Exercise 5 / monitoring: the metrics the seed's reader watches.
end = datetime.now(timezone.utc) + timedelta(minutes=1)
start = end - timedelta(minutes=30)


def metric(function, name, statistic):
    points = cloudwatch.get_metric_statistics(
        Namespace="AWS/Lambda", MetricName=name, Dimensions=[{"Name": "FunctionName", "Value": function}],
        StartTime=start, EndTime=end, Period=3600, Statistics=[statistic])["Datapoints"]
    return sum(p[statistic] for p in points)


invocations = metric("seed000-processor", "Invocations", "Sum")
check(invocations == len(lines("seed000-processor", "Successfully processed")), "Invocations match: %s" % invocations)
check(metric("seed000-processor", "Errors", "Sum") == 0, "no errors in the processor")
check(metric("seed000-failing", "Errors", "Sum") >= 2, "the failing function's errors are counted")
check(metric("seed000-processor", "Duration", "SampleCount") == invocations, "one Duration per invocation")
print("seed000 stream processing OK")
