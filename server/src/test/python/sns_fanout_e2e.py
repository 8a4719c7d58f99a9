"""End-to-end SNS fan-out through boto3 against an Eddy named by AWS_ENDPOINT_URL.

The order-events fan-out: one topic fans out to three SQS queues with different filter policies
(inventory, payments, EU fulfilment) and to an email address confirmed through the link in its
confirmation mail (read from Eddy's outbox); a FIFO topic feeds a FIFO queue in order and drops
duplicates; a poison message nobody can process ends up in the work queue's dead-letter queue
after maxReceiveCount receives. Exits non-zero with a reason on any mismatch.
"""
import json
import os
import time
import urllib.parse
import urllib.request
import uuid

import boto3

from eddy_e2e import check

sns = boto3.client("sns", region_name="us-east-1")
sqs = boto3.client("sqs", region_name="us-east-1")
suffix = uuid.uuid4().hex[:8]


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


def outbox(endpoint):
    url = os.environ["AWS_ENDPOINT_URL"] + "/_eddy/sns/outbox?endpoint=" + urllib.parse.quote(endpoint)
    with urllib.request.urlopen(url) as response:
        return json.loads(response.read())["messages"]


def wait_for_mail(endpoint, count, timeout=15):
    deadline = time.time() + timeout
    mails = outbox(endpoint)
    while len(mails) < count and time.time() < deadline:
        time.sleep(0.1)
        mails = outbox(endpoint)
    return mails


# --- fan-out of order events with filter policies ----------------------------------------------
topic = sns.create_topic(Name="orders-" + suffix)["TopicArn"]
inventory_url, inventory_arn = queue("inventory-" + suffix)
payments_url, payments_arn = queue("payments-" + suffix)
eu_url, eu_arn = queue("eu-fulfilment-" + suffix)
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inventory_arn, Attributes={
    "FilterPolicy": json.dumps({"event_type": ["ORDER_CREATED", "ORDER_CANCELLED"]})})
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=payments_arn, Attributes={
    "FilterPolicy": json.dumps({"event_type": ["ORDER_CREATED"], "total": [{"numeric": [">=", 100]}]}),
    "RawMessageDelivery": "true"})
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=eu_arn, Attributes={
    "FilterPolicyScope": "MessageBody",
    "FilterPolicy": json.dumps({"customer": {"region": [{"prefix": "eu-"}]}})})
email = "ops-%s@example.com" % suffix
check(sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=email)["SubscriptionArn"] == "pending confirmation",
      "email subscriptions wait for confirmation")
confirmation = wait_for_mail(email, 1)
check(len(confirmation) == 1 and confirmation[0]["type"] == "SubscriptionConfirmation", "confirmation mail: %s" % confirmation)
with urllib.request.urlopen(confirmation[0]["subscribeUrl"]) as response:
    check(b"<SubscriptionArn>" + topic.encode() in response.read(), "the link in the mail confirms the subscription")

orders = [
    ("o1", 250, "ORDER_CREATED", 1, "eu-west-1"),
    ("o2", 20, "ORDER_CREATED", 2, "eu-central-1"),
    ("o3", 500, "ORDER_CANCELLED", 1, "us-east-1"),
    ("o4", 100, "ORDER_SHIPPED", 3, "us-west-2"),
]
for order_id, total, event_type, priority, region in orders:
    sns.publish(TopicArn=topic, Subject="Order " + order_id,
                Message=json.dumps({"order_id": order_id, "customer": {"region": region}, "total": total}),
                MessageAttributes={"event_type": {"DataType": "String", "StringValue": event_type},
                                   "priority": {"DataType": "Number", "StringValue": str(priority)},
                                   "total": {"DataType": "Number", "StringValue": str(total)}})

inventory = drain(inventory_url, 3)
check(sorted(json.loads(json.loads(m["Body"])["Message"])["order_id"] for m in inventory) == ["o1", "o2", "o3"],
      "inventory gets created and cancelled orders: %s" % [m["Body"] for m in inventory])
envelope = json.loads(inventory[0]["Body"])
check(envelope["Type"] == "Notification" and envelope["TopicArn"] == topic and envelope["Subject"].startswith("Order "),
      "envelope fields: %s" % envelope)
check(set(envelope["MessageAttributes"]) == {"event_type", "priority", "total"}, "envelope attributes: %s" % envelope)

payments = drain(payments_url, 1)
check([json.loads(m["Body"])["order_id"] for m in payments] == ["o1"], "payments take new orders of 100 or more: %s" % payments)
check(payments[0]["MessageAttributes"]["event_type"]["StringValue"] == "ORDER_CREATED", "raw delivery keeps attributes")

eu = drain(eu_url, 2)
check(sorted(json.loads(json.loads(m["Body"])["Message"])["order_id"] for m in eu) == ["o1", "o2"], "EU orders: %s" % eu)
check(drain(payments_url, 1, timeout=1) == [] and drain(eu_url, 1, timeout=1) == [], "no extra deliveries")
mails = wait_for_mail(email, 5)
check(sorted(m["subject"] for m in mails[1:]) == ["Order o1", "Order o2", "Order o3", "Order o4"],
      "every order reached the confirmed email address: %s" % mails)

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
