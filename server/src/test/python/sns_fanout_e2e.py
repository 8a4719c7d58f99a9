"""End-to-end SNS fan-out through boto3 against an Eddy named by AWS_ENDPOINT_URL.

One topic fans out to three SQS queues with different filter policies; a FIFO topic feeds a FIFO
queue in order and drops duplicates; a poison message nobody can process ends up in the work
queue's dead-letter queue after maxReceiveCount receives. Exits non-zero with a reason on any
mismatch.
"""
import json
import sys
import time
import uuid

import boto3

sns = boto3.client("sns", region_name="us-east-1")
sqs = boto3.client("sqs", region_name="us-east-1")
suffix = uuid.uuid4().hex[:8]


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def queue(name, attributes=None):
    url = sqs.create_queue(QueueName=name, Attributes=attributes or {})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def drain(url, expected, timeout=15, delete=True):
    """Receives until `expected` messages arrived or the timeout passed."""
    got = []
    deadline = time.time() + timeout
    while len(got) < expected and time.time() < deadline:
        response = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                       MessageAttributeNames=["All"], AttributeNames=["All"])
        for message in response.get("Messages", []):
            got.append(message)
            if delete:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return got


# --- fan-out with filter policies -------------------------------------------------------------
topic = sns.create_topic(Name="orders-" + suffix)["TopicArn"]
all_url, all_arn = queue("all-orders-" + suffix)
big_url, big_arn = queue("big-orders-" + suffix)
eu_url, eu_arn = queue("eu-orders-" + suffix)
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=all_arn)
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=big_arn, Attributes={
    "FilterPolicy": json.dumps({"total": [{"numeric": [">=", 100]}], "status": [{"anything-but": ["cancelled"]}]}),
    "RawMessageDelivery": "true"})
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=eu_arn, Attributes={
    "FilterPolicyScope": "MessageBody",
    "FilterPolicy": json.dumps({"customer": {"region": [{"prefix": "eu-"}]}})})

orders = [
    ("o1", 250, "placed", "eu-west-1"),
    ("o2", 20, "placed", "eu-central-1"),
    ("o3", 500, "cancelled", "us-east-1"),
    ("o4", 100, "shipped", "us-west-2"),
]
for order_id, total, status, region in orders:
    sns.publish(TopicArn=topic, Subject="Order " + order_id,
                Message=json.dumps({"id": order_id, "customer": {"region": region}}),
                MessageAttributes={"total": {"DataType": "Number", "StringValue": str(total)},
                                   "status": {"DataType": "String", "StringValue": status}})

everything = drain(all_url, 4)
check(sorted(json.loads(json.loads(m["Body"])["Message"])["id"] for m in everything) == ["o1", "o2", "o3", "o4"],
      "the unfiltered queue gets every order: %s" % [m["Body"] for m in everything])
envelope = json.loads(everything[0]["Body"])
check(envelope["Type"] == "Notification" and envelope["TopicArn"] == topic and envelope["Subject"].startswith("Order "),
      "envelope fields: %s" % envelope)
check(set(envelope["MessageAttributes"]) == {"total", "status"}, "envelope attributes: %s" % envelope)

big = drain(big_url, 2)
check(sorted(json.loads(m["Body"])["id"] for m in big) == ["o1", "o4"], "big non-cancelled orders: %s" % big)
check(all(m["MessageAttributes"]["total"]["DataType"] == "Number" for m in big), "raw delivery keeps attributes")

eu = drain(eu_url, 2)
check(sorted(json.loads(json.loads(m["Body"])["Message"])["id"] for m in eu) == ["o1", "o2"], "EU orders: %s" % eu)
check(drain(big_url, 1, timeout=1) == [] and drain(eu_url, 1, timeout=1) == [], "no extra deliveries")

# --- FIFO pipeline ----------------------------------------------------------------------------
fifo_topic = sns.create_topic(Name="ledger-%s.fifo" % suffix,
                              Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
fifo_url, fifo_arn = queue("ledger-%s.fifo" % suffix, {"FifoQueue": "true"})
sns.subscribe(TopicArn=fifo_topic, Protocol="sqs", Endpoint=fifo_arn, Attributes={"RawMessageDelivery": "true"})
sequence_numbers = []
for account in ("acct-1", "acct-2"):
    for n in range(5):
        response = sns.publish(TopicArn=fifo_topic, Message="%s entry %d" % (account, n), MessageGroupId=account)
        sequence_numbers.append(int(response["SequenceNumber"]))
duplicate = sns.publish(TopicArn=fifo_topic, Message="acct-1 entry 0", MessageGroupId="acct-1")
check(sequence_numbers == sorted(sequence_numbers), "sequence numbers increase: %s" % sequence_numbers)
check(int(duplicate["SequenceNumber"]) == sequence_numbers[0], "a duplicate answers with the original")
ledger = drain(fifo_url, 10)
check(len(ledger) == 10, "ten ledger entries, duplicates dropped: %s" % [m["Body"] for m in ledger])
for account in ("acct-1", "acct-2"):
    bodies = [m["Body"] for m in ledger if m["Attributes"]["MessageGroupId"] == account]
    check(bodies == ["%s entry %d" % (account, n) for n in range(5)], "order within %s: %s" % (account, bodies))

# --- poison message into the work queue's DLQ ------------------------------------------------
dlq_url, dlq_arn = queue("work-dlq-" + suffix)
work_url, work_arn = queue("work-" + suffix, {
    "VisibilityTimeout": "1",
    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})})
jobs_topic = sns.create_topic(Name="jobs-" + suffix)["TopicArn"]
sns.subscribe(TopicArn=jobs_topic, Protocol="sqs", Endpoint=work_arn)
poison_id = sns.publish(TopicArn=jobs_topic, Message=json.dumps({"job": "poison"}))["MessageId"]
receives = 0
deadline = time.time() + 20
dead = []
while time.time() < deadline and not dead:
    for message in drain(work_url, 1, timeout=2, delete=False):
        check(json.loads(message["Body"])["MessageId"] == poison_id, "the poison message is what the worker sees")
        receives += 1  # the worker fails and lets the visibility timeout lapse
    dead = drain(dlq_url, 1, timeout=1)
check(receives == 2, "received maxReceiveCount times before moving: %d" % receives)
check(len(dead) == 1 and json.loads(dead[0]["Body"])["MessageId"] == poison_id, "poison message in the DLQ: %s" % dead)

print("SNS fan-out end-to-end: OK")
