"""SQS through boto3 and the AWS CLI as users drive them: botocore speaks AWS JSON to SQS and reads
the legacy error codes from x-amzn-query-error, so ClientError codes are the classic ones."""
import json
import os
import subprocess
import threading
import time
import uuid

import boto3
import botocore.exceptions

sqs = boto3.client("sqs")
# AWS CLI v1 resolves SQS to its legacy global endpoint unless given the URL explicitly
AWS = ["aws", "--endpoint-url", os.environ["AWS_ENDPOINT_URL"]]


def name(prefix):
    return prefix + "-" + uuid.uuid4().hex[:8]


def error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError("no error")


def queues_and_errors():
    url = sqs.create_queue(QueueName=name("py"), Attributes={"VisibilityTimeout": "40"}, tags={"team": "py"})["QueueUrl"]
    assert url.startswith("http://127.0.0.1:"), url
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "40" and attributes["QueueArn"].endswith(url.rsplit("/", 1)[1]), attributes
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "py"}
    code, message = error_code(lambda: sqs.get_queue_url(QueueName="missing-" + uuid.uuid4().hex))
    assert (code, message) == ("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."), code
    try:
        sqs.get_queue_url(QueueName="missing-" + uuid.uuid4().hex)
    except sqs.exceptions.QueueDoesNotExist:
        pass
    code, _ = error_code(lambda: sqs.create_queue(QueueName=url.rsplit("/", 1)[1], Attributes={"VisibilityTimeout": "41"}))
    assert code == "QueueAlreadyExists", code
    code, _ = error_code(lambda: sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11))
    assert code == "InvalidParameterValue", code
    queue = boto3.resource("sqs").get_queue_by_name(QueueName=url.rsplit("/", 1)[1])
    assert queue.url == url
    print("queues and errors OK")


def messages():
    url = sqs.create_queue(QueueName=name("msgs"))["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello \u00e9", MessageAttributes={
        "n": {"DataType": "Number", "StringValue": "7"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"])
    message = got["Messages"][0]
    assert message["Body"] == "hello \u00e9" and message["MessageId"] == sent["MessageId"], message
    assert message["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"], message
    assert message["MessageAttributes"]["b"]["BinaryValue"] == b"\x00\x01", message
    assert message["Attributes"]["ApproximateReceiveCount"] == "1", message
    batch = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok", "MessageBody": "fine"}, {"Id": "bad", "MessageBody": "late", "DelaySeconds": 901}])
    assert [e["Id"] for e in batch["Successful"]] == ["ok"], batch
    assert batch["Failed"][0]["Id"] == "bad" and batch["Failed"][0]["SenderFault"] is True, batch
    deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "ReceiptHandle": message["ReceiptHandle"]}, {"Id": "z", "ReceiptHandle": "junk"}])
    assert [e["Id"] for e in deleted["Successful"]] == ["a"], deleted
    assert deleted["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", deleted

    result = {}

    def wait():
        started = time.monotonic()
        result["messages"] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
        result["waited"] = time.monotonic() - started

    sqs.purge_queue(QueueUrl=url)
    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)
    sqs.send_message(QueueUrl=url, MessageBody="wake")
    waiter.join(25)
    assert [m["Body"] for m in result["messages"]] == ["wake"], result
    assert result["waited"] < 10, result
    print("messages OK")


def fifo():
    url = sqs.create_queue(QueueName=name("py") + ".fifo",
                           Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    first = sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g")
    assert sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g")["MessageId"] == first["MessageId"]
    sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g")
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert bodies == ["one", "two"], bodies
    code, _ = error_code(lambda: sqs.send_message(QueueUrl=url, MessageBody="x"))
    assert code == "MissingParameter", code
    print("fifo OK")


def cli():
    def aws(*args):
        out = subprocess.run(AWS + ["sqs", *args], check=True, capture_output=True, text=True).stdout
        return json.loads(out) if out.strip() else {}

    url = aws("create-queue", "--queue-name", name("cli"))["QueueUrl"]
    aws("send-message", "--queue-url", url, "--message-body", "from the cli")
    received = aws("receive-message", "--queue-url", url, "--attribute-names", "All")
    assert received["Messages"][0]["Body"] == "from the cli", received
    aws("delete-message", "--queue-url", url, "--receipt-handle", received["Messages"][0]["ReceiptHandle"])
    missing = subprocess.run(AWS + ["sqs", "get-queue-url", "--queue-name", "missing-" + uuid.uuid4().hex],
                             capture_output=True, text=True)
    assert missing.returncode != 0 and "AWS.SimpleQueueService.NonExistentQueue" in missing.stderr, missing.stderr
    print("cli OK")


queues_and_errors()
messages()
fifo()
cli()
print("sqs-py OK")
