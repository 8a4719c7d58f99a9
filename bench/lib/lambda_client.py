"""Lambda and DynamoDB Streams steps of bench/lambda.sh. Resources are set up with boto3; what is timed goes
through a lean keep-alive http.client connection so the client adds as little as possible.

  stream-latency  write -> handler latency through a DynamoDB Streams event source mapping (BatchSize 1)
  throughput      records/s through one mapping while several threads write with BatchWriteItem
  cold-start      Invoke (Python or Node.js) after UpdateFunctionConfiguration retired the warm environment:
                  paused, back to back, or in bursts of concurrent cold starts
  warm-invoke     Invoke of a trivial warm function, and the same client's GET /_eddy/health as baseline

Each step prints one line "RESULT key=value ..." (microseconds, counts, per-second rates).
"""
import argparse
import base64
import concurrent.futures
import http.client
import json
import re
import threading
import time
import uuid

import boto3
from botocore.config import Config

import aws_json

REGION = "us-east-1"
ROLE = "arn:aws:iam::000000000000:role/bench-lambda"


def aws(service, port):
    return boto3.client(service, endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, read_timeout=300))


class Http:
    """One keep-alive connection to Eddy."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        return response, response.read()

    def invoke(self, function, payload, log_tail=False):
        """Unsigned Invoke (RequestResponse); returns the response and its body."""
        headers = {"Content-Type": "application/json"}
        if log_tail:
            headers["X-Amz-Log-Type"] = "Tail"
        response, body = self.request("POST", f"/2015-03-31/functions/{function}/invocations", payload, headers)
        if response.status != 200 or response.getheader("X-Amz-Function-Error"):
            raise RuntimeError(f"Invoke {function} answered HTTP {response.status} "
                               f"{response.getheader('X-Amz-Function-Error')}: {body[:500]!r}")
        return response, body


def percentile(sorted_values, fraction):
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def summary(prefix, values):
    values = sorted(values)
    return (f"{prefix}p50_us={percentile(values, 0.5):.0f} {prefix}p90_us={percentile(values, 0.9):.0f} "
            f"{prefix}p99_us={percentile(values, 0.99):.0f} {prefix}max_us={values[-1]:.0f}")


def drain(port, timeout_s=300):
    response, body = Http(port).request("POST", f"/_eddy/drain?timeout={timeout_s}s")
    state = json.loads(body)
    if response.status != 200 or not state.get("idle"):
        raise RuntimeError(f"Eddy did not become idle within {timeout_s} s: {body[:1000]!r}")


def create_function(lambda_client, name, runtime, handler, zip_path, environment=None):
    with open(zip_path, "rb") as package:
        code = package.read()
    lambda_client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                  Code={"ZipFile": code}, Timeout=60, MemorySize=512,
                                  Environment={"Variables": environment or {}})
    lambda_client.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.05})


def create_stream_table(dynamodb, name):
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.05})
    return dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]


def create_mapping(lambda_client, function, stream_arn, batch_size, window_s):
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=function, BatchSize=batch_size, StartingPosition="LATEST",
        MaximumBatchingWindowInSeconds=window_s)["UUID"]
    await_mapping_state(lambda_client, mapping, "Enabled")
    return mapping


def await_mapping_state(lambda_client, mapping, wanted):
    deadline = time.monotonic() + 30
    while (state := lambda_client.get_event_source_mapping(UUID=mapping)["State"]) != wanted:
        if time.monotonic() > deadline:
            raise RuntimeError(f"mapping {mapping} still {state} after 30 s, not {wanted}")
        time.sleep(0.005)


def log_messages(logs, function, term):
    """The messages of /aws/lambda/<function> that contain term, through FilterLogEvents."""
    paginator = logs.get_paginator("filter_log_events")
    return [event["message"] for page in paginator.paginate(logGroupName=f"/aws/lambda/{function}",
                                                            filterPattern=term)
            for event in page["events"]]


def stream_latency(args):
    """Writes one stamped item at a time, paced, to a table whose stream feeds a warm function (BatchSize 1,
    no batching window); the handler logs now - stamp. The first --warmup writes are not counted."""
    lambda_client, dynamodb, logs = aws("lambda", args.port), aws("dynamodb", args.port), aws("logs", args.port)
    name = f"latency-{args.runtime}-{uuid.uuid4().hex[:8]}"
    if args.runtime == "java":
        create_function(lambda_client, name, "java21", "bench.Latency::handleRequest", args.zip)
    else:
        create_function(lambda_client, name, "python3.12", "latency.handler", args.zip)
    create_mapping(lambda_client, name, create_stream_table(dynamodb, name), 1, 0)
    writer = aws_json.dynamodb(args.port, timeout=60)
    total = args.warmup + args.samples

    def write_paced(sequence_numbers):
        next_write = time.monotonic()
        for seq in sequence_numbers:
            pause = next_write - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            next_write += args.interval_ms / 1000
            stamp_us = time.time_ns() // 1000
            writer.call("PutItem", {"TableName": name, "Item": {
                "pk": {"S": f"item-{seq}"}, "seq": {"N": str(seq)}, "stamp": {"N": str(stamp_us)}}})

    # Records of different items land on different shards, handled concurrently: the warmup writes start
    # the environments that takes; the measured writes begin once those cold starts are over.
    write_paced(range(args.warmup))
    drain(args.port)
    write_paced(range(args.warmup, total))
    drain(args.port)
    latencies = {}
    for message in log_messages(logs, name, "LATENCY_US"):
        match = re.search(r"LATENCY_US (\d+) (-?\d+)", message)
        if match:
            latencies.setdefault(int(match.group(1)), int(match.group(2)))
    measured = [latencies[seq] for seq in range(args.warmup, total) if seq in latencies]
    if len(measured) != args.samples:
        raise RuntimeError(f"{name}: {len(measured)} of {args.samples} measured writes reached the handler")
    print(f"RESULT {summary('', measured)} samples={len(measured)}")


def throughput(args):
    """--records items written by --threads threads with BatchWriteItem (25 items each) into a table whose
    stream feeds one function through one mapping; the handler logs each batch's size and time.
    live: the mapping runs while the items are written; measured from just before the first write to the last
    batch handled. backlog: the mapping is disabled while the items are written, then enabled; measured from
    enabling it to the last batch handled, so the mapping's own pace shows, not the writers'."""
    lambda_client, dynamodb, logs = aws("lambda", args.port), aws("dynamodb", args.port), aws("logs", args.port)
    name = f"throughput-{args.mode}-{args.batch_size}-{uuid.uuid4().hex[:8]}"
    create_function(lambda_client, name, "python3.12", "throughput.handler", args.zip)
    mapping = create_mapping(lambda_client, name, create_stream_table(dynamodb, name), args.batch_size, args.window)
    payload = "x" * 100

    def write(items, connection):
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": {"pk": {"S": key}, "payload": {"S": payload}}}}
                        for key in items[start:start + 25]]
            while requests:
                unprocessed = connection.call("BatchWriteItem", {"RequestItems": {name: requests}})
                requests = unprocessed.get("UnprocessedItems", {}).get(name, [])

    # Records of different items land on different shards, handled concurrently: warm the environments that
    # takes first, so cold starts are not part of the measurement.
    write([f"warmup-{i}" for i in range(max(400, args.batch_size * 4))], aws_json.dynamodb(args.port, timeout=60))
    drain(args.port)
    if args.mode == "backlog":
        set_mapping_enabled(lambda_client, mapping, False)
    keys = [f"item-{i}" for i in range(args.records)]
    slices = [keys[i::args.threads] for i in range(args.threads)]
    connections = [aws_json.dynamodb(args.port, timeout=60) for _ in slices]
    ready = threading.Barrier(args.threads + 1)
    failures = []

    def writer(index):
        ready.wait()
        try:
            write(slices[index], connections[index])
        except Exception as error:  # reported below; a thread cannot raise into the main one
            failures.append(error)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.threads)]
    for thread in threads:
        thread.start()
    first_write_us = time.time_ns() // 1000
    ready.wait()
    for thread in threads:
        thread.join()
    written_us = time.time_ns() // 1000
    if failures:
        raise failures[0]
    started_us = first_write_us
    if args.mode == "backlog":
        started_us = time.time_ns() // 1000
        set_mapping_enabled(lambda_client, mapping, True)
    drain(args.port)
    handled, last_us, invocations = 0, 0, 0
    for message in log_messages(logs, name, "BATCH"):
        match = re.search(r"BATCH (\d+) (\d+)", message)
        if match and int(match.group(2)) >= first_write_us:
            handled += int(match.group(1))
            last_us = max(last_us, int(match.group(2)))
            invocations += 1
    if handled < args.records:
        raise RuntimeError(f"{name}: the handler saw {handled} of {args.records} records")
    print(f"RESULT write_rps={args.records / ((written_us - first_write_us) / 1e6):.0f} "
          f"records_per_s={args.records / ((last_us - started_us) / 1e6):.0f} "
          f"records={handled} invocations={invocations} mean_batch={handled / invocations:.1f} "
          f"lag_after_last_write_us={max(0, last_us - written_us)}")


def set_mapping_enabled(lambda_client, mapping, enabled):
    lambda_client.update_event_source_mapping(UUID=mapping, Enabled=enabled)
    await_mapping_state(lambda_client, mapping, "Enabled" if enabled else "Disabled")


def cold_start(args):
    """Each UpdateFunctionConfiguration (a new environment variable) retires the warm environment, so the next
    Invoke starts a new one. --mode paused waits --pause-ms after the update, so the spare interpreter that
    replaced the last one taken has finished starting; back-to-back invokes right away; burst waits --pause-ms,
    then sends --burst events at once, each on its own connection, whose handler sleeps --burst-sleep-ms so that
    they overlap and each takes a cold start (bursts: --count / --burst rounds, rounded up). A burst's call time
    is the client's whole call less that sleep."""
    lambda_client = aws("lambda", args.port)
    name = f"cold-{args.mode}-{uuid.uuid4().hex[:8]}"
    handler = "index.handler" if args.runtime.startswith("nodejs") else "cold.handler"
    create_function(lambda_client, name, args.runtime, handler, args.zip)
    Http(args.port).invoke(name, json.dumps({"n": 1}))
    calls, inits = [], []
    rounds = args.count if args.mode != "burst" else -(-args.count // args.burst)
    size = 1 if args.mode != "burst" else args.burst
    sleep_ms = args.burst_sleep_ms if args.mode == "burst" else 0
    payload = json.dumps({"n": 1, "sleep": sleep_ms / 1000})
    invokers = [Http(args.port) for _ in range(size)]
    for invoker in invokers:
        invoker.connection.connect()

    def cold_invoke(invoker, attempt):
        started = time.perf_counter_ns()
        response, _ = invoker.invoke(name, payload, log_tail=True)
        call_us = (time.perf_counter_ns() - started) / 1000 - sleep_ms * 1000
        log_tail = base64.b64decode(response.getheader("X-Amz-Log-Result", "")).decode()
        match = re.search(r"Init Duration: ([0-9.]+) ms", log_tail)
        if not match:
            raise RuntimeError(f"invocation {attempt} after a configuration update was not a cold start: {log_tail}")
        return call_us, float(match.group(1)) * 1000

    with concurrent.futures.ThreadPoolExecutor(size) as pool:
        for attempt in range(rounds):
            lambda_client.update_function_configuration(FunctionName=name,
                                                        Environment={"Variables": {"RUN": str(attempt)}})
            while lambda_client.get_function_configuration(FunctionName=name)["LastUpdateStatus"] != "Successful":
                time.sleep(0.01)
            if args.mode != "back-to-back":
                time.sleep(args.pause_ms / 1000)
            if size == 1:
                results = [cold_invoke(invokers[0], attempt)]
            else:
                results = list(pool.map(lambda invoker: cold_invoke(invoker, attempt), invokers))
            for call_us, init_us in results:
                calls.append(call_us)
                inits.append(init_us)
    print(f"RESULT {summary('call_', calls)} {summary('init_', inits)} samples={len(calls)}")


def timed(count, call):
    samples = []
    for _ in range(count):
        started = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def warm_invoke(args):
    """Warm Invoke of a trivial Python and Java function over one keep-alive connection, each after --warmup
    unmeasured calls; the same connection's GET /_eddy/health is the HTTP round trip both include."""
    lambda_client = aws("lambda", args.port)
    suffix = uuid.uuid4().hex[:8]
    functions = {"python": f"echo-python-{suffix}", "java": f"echo-java-{suffix}"}
    create_function(lambda_client, functions["python"], "python3.12", "echo.handler", args.python_zip)
    create_function(lambda_client, functions["java"], "java21", "bench.Echo", args.java_zip)
    client = Http(args.port)
    payload = json.dumps({"n": 1})

    def health():
        response, _ = client.request("GET", "/_eddy/health")
        if response.status != 200:
            raise RuntimeError(f"GET /_eddy/health answered HTTP {response.status}")

    results = {}
    timed(args.warmup, health)
    results["baseline_"] = timed(args.count, health)
    for runtime, function in functions.items():
        timed(args.warmup, lambda: client.invoke(function, payload))
        results[runtime + "_"] = timed(args.count, lambda: client.invoke(function, payload))
    baseline_p50 = percentile(sorted(results["baseline_"]), 0.5)
    overheads = " ".join(f"{runtime}overhead_p50_us={percentile(sorted(results[runtime]), 0.5) - baseline_p50:.0f}"
                         for runtime in ("python_", "java_"))
    print("RESULT " + " ".join(summary(prefix, values) for prefix, values in results.items()) + " " + overheads)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("stream-latency")
    step.add_argument("--runtime", choices=["python", "java"], required=True)
    step.add_argument("--zip", required=True)
    step.add_argument("--samples", type=int, default=300)
    step.add_argument("--warmup", type=int, default=50)
    step.add_argument("--interval-ms", type=float, default=25)
    step.set_defaults(run=stream_latency)
    step = steps.add_parser("throughput")
    step.add_argument("--zip", required=True)
    step.add_argument("--records", type=int, default=20000)
    step.add_argument("--threads", type=int, default=4)
    step.add_argument("--batch-size", type=int, default=100)
    step.add_argument("--window", type=int, default=0)
    step.add_argument("--mode", choices=["live", "backlog"], default="live")
    step.set_defaults(run=throughput)
    step = steps.add_parser("cold-start")
    step.add_argument("--runtime", default="python3.12", help="python3.X or nodejsNN.x")
    step.add_argument("--zip", required=True, help="cold.py (Python) or index.mjs (Node.js) at the root")
    step.add_argument("--mode", choices=["paused", "back-to-back", "burst"], default="paused")
    step.add_argument("--count", type=int, default=20, help="cold starts")
    step.add_argument("--pause-ms", type=int, default=2000, help="after the update (paused, burst)")
    step.add_argument("--burst", type=int, default=4, help="concurrent cold starts per burst")
    step.add_argument("--burst-sleep-ms", type=int, default=300)
    step.set_defaults(run=cold_start)
    step = steps.add_parser("warm-invoke")
    step.add_argument("--python-zip", required=True)
    step.add_argument("--java-zip", required=True)
    step.add_argument("--count", type=int, default=2000)
    step.add_argument("--warmup", type=int, default=500)
    step.set_defaults(run=warm_invoke)
    for subparser in steps.choices.values():
        subparser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
