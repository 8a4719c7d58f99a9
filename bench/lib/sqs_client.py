"""SQS steps of the benchmark that wrk cannot do, over AWS JSON 1.0 with the standard library only.

  create-queue --port P --name N        creates a standard queue and prints its URL
  wake-latency --port P --samples K     long-poll wake latency: a consumer waits in ReceiveMessage
                                        (WaitTimeSeconds 10) on an empty queue; once it is parked, a
                                        producer sends a message. Prints "p50_us=.. p99_us=.. max_us=.."
                                        for the time from issuing SendMessage to the consumer getting it.
"""
import argparse
import statistics
import threading
import time

import aws_json

PARK_SECONDS = 0.3


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def wake_latency(port, samples):
    producer, consumer = aws_json.sqs(port), aws_json.sqs(port)
    queue_url = producer.call("CreateQueue", {"QueueName": "bench-wake"})["QueueUrl"]
    latencies_us = []
    for _ in range(samples):
        received = {}

        def wait_for_message():
            messages = consumer.call("ReceiveMessage", {"QueueUrl": queue_url, "MaxNumberOfMessages": 1,
                                                        "WaitTimeSeconds": 10}).get("Messages", [])
            received["at"] = time.monotonic_ns()
            received["messages"] = messages

        waiter = threading.Thread(target=wait_for_message)
        waiter.start()
        time.sleep(PARK_SECONDS)
        if "at" in received:
            raise RuntimeError("ReceiveMessage on an empty queue returned before a message was sent")
        sent_at = time.monotonic_ns()
        producer.call("SendMessage", {"QueueUrl": queue_url, "MessageBody": "wake"})
        waiter.join(15)
        if not received.get("messages"):
            raise RuntimeError(f"the waiting ReceiveMessage did not get the message: {received}")
        latencies_us.append((received["at"] - sent_at) / 1000)
        producer.call("DeleteMessage", {"QueueUrl": queue_url,
                                        "ReceiptHandle": received["messages"][0]["ReceiptHandle"]})
    latencies_us.sort()
    print(f"p50_us={statistics.median(latencies_us):.0f} p99_us={percentile(latencies_us, 0.99):.0f} "
          f"max_us={latencies_us[-1]:.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["create-queue", "wake-latency"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", default="bench")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    if args.step == "create-queue":
        print(aws_json.sqs(args.port).call("CreateQueue", {"QueueName": args.name})["QueueUrl"])
    else:
        wake_latency(args.port, args.samples)


if __name__ == "__main__":
    main()
