"""Seeds 001 and 002: a real-time order pipeline built from the patterns seed 001 teaches.

Order created -> stream -> processor (moves it to PROCESSING, publishes a shipment event to SNS)
-> SQS -> shipment consumer (records the shipment, marks the order SHIPPED) -> stream again.
An analytics function fans out from the same stream and counts every change. A poison order
makes the processor fail; retries with bisection send just that record to a dead-letter queue.

Every handler uses boto3 with no endpoint or credentials in its code: it relies on the environment
Eddy gives it, as handler code relies on Lambda's. Stream processing is at least once, so the
processor is idempotent through a condition on the order's status, as the seed advises.
"""
import json
from datetime import datetime, timedelta, timezone

import boto3

from eddy_e2e import check, create_function, drain, lines, map_source

ddb = boto3.client("dynamodb")
sqs = boto3.client("sqs")
sns = boto3.client("sns")
cloudwatch = boto3.client("cloudwatch")

PROCESSOR = '''
import json
import os
import boto3
from botocore.exceptions import ClientError

ddb = boto3.client("dynamodb")
sns = boto3.client("sns")

def handler(event, context):
    for record in event["Records"]:
        order = record["dynamodb"]["NewImage"]
        order_id = order["orderId"]["S"]
        if float(order["total"]["N"]) <= 0:
            raise ValueError("order %s has no total" % order_id)
        try:
            ddb.update_item(TableName=os.environ["ORDERS"], Key={"orderId": {"S": order_id}},
                            UpdateExpression="SET #s = :processing", ConditionExpression="#s = :new",
                            ExpressionAttributeNames={"#s": "status"},
                            ExpressionAttributeValues={":processing": {"S": "PROCESSING"}, ":new": {"S": "NEW"}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            print("Order %s already processed" % order_id)
            continue
        sns.publish(TopicArn=os.environ["TOPIC"], Message=json.dumps({"orderId": order_id, "action": "SHIP"}),
                    MessageAttributes={"action": {"DataType": "String", "StringValue": "SHIP"}})
        print("Order %s moved to PROCESSING" % order_id)
'''

SHIPMENTS = '''
import json
import os
import boto3

ddb = boto3.client("dynamodb")

def handler(event, context):
    failures = []
    for record in event["Records"]:
        request = json.loads(record["body"])
        order_id = request["orderId"]
        try:
            ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": os.environ["SHIPMENTS"],
                         "Item": {"orderId": {"S": order_id}, "carrier": {"S": "local"}}}},
                {"Update": {"TableName": os.environ["ORDERS"], "Key": {"orderId": {"S": order_id}},
                            "UpdateExpression": "SET #s = :shipped", "ExpressionAttributeNames": {"#s": "status"},
                            "ExpressionAttributeValues": {":shipped": {"S": "SHIPPED"}}}}])
            print("Shipment created for %s" % order_id)
        except Exception as error:
            print("Shipment failed for %s: %s" % (order_id, error))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
'''

ANALYTICS = '''
import os
import boto3

ddb = boto3.client("dynamodb")

def handler(event, context):
    for record in event["Records"]:
        ddb.update_item(TableName=os.environ["ANALYTICS"], Key={"eventName": {"S": record["eventName"]}},
                        UpdateExpression="ADD changes :one", ExpressionAttributeValues={":one": {"N": "1"}})
    print("Counted %d changes" % len(event["Records"]))
'''


def create_table(name, key, stream=False):
    settings = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} if stream else {}
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], **settings)
    ddb.get_waiter("table_exists").wait(TableName=name)
    return ddb.describe_table(TableName=name)["Table"].get("LatestStreamArn")


def queue(name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def status(order_id):
    return ddb.get_item(TableName="orders", Key={"orderId": {"S": order_id}},
                        ConsistentRead=True)["Item"]["status"]["S"]


# The pipeline's resources.
orders_stream = create_table("orders", "orderId", stream=True)
create_table("shipments", "orderId")
create_table("order-analytics", "eventName")
topic = sns.create_topic(Name="order-events")["TopicArn"]
shipment_requests, shipment_requests_arn = queue("shipment-requests")
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=shipment_requests_arn,
              Attributes={"RawMessageDelivery": "true", "FilterPolicy": json.dumps({"action": ["SHIP"]})})
dead_letters, dead_letters_arn = queue("order-processor-failures")

create_function("order-processor", PROCESSOR, ORDERS="orders", TOPIC=topic)
create_function("shipment-consumer", SHIPMENTS, ORDERS="orders", SHIPMENTS="shipments")
create_function("order-analytics", ANALYTICS, ANALYTICS="order-analytics")

# The processor sees only new orders; analytics sees every change (fan-out from one stream).
map_source("order-processor", orders_stream, StartingPosition="LATEST", BatchSize=10,
           MaximumBatchingWindowInSeconds=1, MaximumRetryAttempts=2, BisectBatchOnFunctionError=True,
           DestinationConfig={"OnFailure": {"Destination": dead_letters_arn}},
           FilterCriteria={"Filters": [{"Pattern": json.dumps(
               {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"status": {"S": ["NEW"]}}}})}]})
map_source("order-analytics", orders_stream, StartingPosition="LATEST", BatchSize=100)
map_source("shipment-consumer", shipment_requests_arn, BatchSize=10, FunctionResponseTypes=["ReportBatchItemFailures"])

# Four orders arrive in one batch; order-3 is poison.
with boto3.resource("dynamodb").Table("orders").batch_writer() as batch:
    for i, total in enumerate([25, 40, 0, 99], start=1):
        batch.put_item(Item={"orderId": "order-%d" % i, "status": "NEW", "total": total})
drain()

for good in ["order-1", "order-2", "order-4"]:
    check(status(good) == "SHIPPED", "%s went through the whole pipeline: %s" % (good, status(good)))
    check(len(lines("order-processor", "Order %s moved to PROCESSING" % good)) == 1,
          "%s was processed exactly once despite retries" % good)
    check(len(lines("shipment-consumer", "Shipment created for %s" % good)) == 1, "%s shipped once" % good)
check(status("order-3") == "NEW", "the poison order was left as it was")
shipped = sorted(item["orderId"]["S"] for item in ddb.scan(TableName="shipments")["Items"])
check(shipped == ["order-1", "order-2", "order-4"], "one shipment per good order: %r" % shipped)

# The poison record, and only it, reached the dead-letter queue after the retries and bisections.
received = sqs.receive_message(QueueUrl=dead_letters, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", [])
check(len(received) == 1, "one failure record: %r" % received)
failure = json.loads(received[0]["Body"])
check(failure["requestContext"]["condition"] == "RetryAttemptsExhausted", "failure condition: %r" % failure)
info = failure["DDBStreamBatchInfo"]
check(info["batchSize"] == 1 and info["streamArn"] == orders_stream, "only the poison record failed: %r" % info)
poison = boto3.client("dynamodbstreams").get_records(ShardIterator=boto3.client("dynamodbstreams").get_shard_iterator(
    StreamArn=orders_stream, ShardId=info["shardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
    SequenceNumber=info["startSequenceNumber"])["ShardIterator"], Limit=1)["Records"][0]
check(poison["dynamodb"]["Keys"]["orderId"]["S"] == "order-3", "the failure record points at order-3: %r" % poison)

# Analytics counted every change: four inserts, then PROCESSING and SHIPPED for each good order.
counts = {item["eventName"]["S"]: int(item["changes"]["N"]) for item in ddb.scan(TableName="order-analytics")["Items"]}
check(counts == {"INSERT": 4, "MODIFY": 6}, "every change counted once: %r" % counts)

# The operator's view: the processor's errors and the whole pipeline's invocations in AWS/Lambda.
end = datetime.now(timezone.utc) + timedelta(minutes=1)


def metric(function, name):
    points = cloudwatch.get_metric_statistics(
        Namespace="AWS/Lambda", MetricName=name, Dimensions=[{"Name": "FunctionName", "Value": function}],
        StartTime=end - timedelta(minutes=30), EndTime=end, Period=3600, Statistics=["Sum"])["Datapoints"]
    return sum(p["Sum"] for p in points)


check(metric("order-processor", "Errors") >= 3, "the poison batch's failed attempts are counted as Errors")
check(metric("shipment-consumer", "Errors") == 0, "the shipment consumer never failed")
check(metric("shipment-consumer", "Invocations") >= 1, "the shipment consumer was invoked")
print("seed001 order pipeline OK")
