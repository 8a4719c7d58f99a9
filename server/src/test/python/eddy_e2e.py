"""What the end-to-end scripts share: failing with a message, waiting on Eddy's drain endpoint instead of
sleeping, deployment packages from source strings, functions and mappings that are ready to use, and a
function's log lines read through FilterLogEvents, as the seeds' readers read them."""
import io
import os
import sys
import time
import urllib.request
import zipfile

import boto3

ROLE = "arn:aws:iam::000000000000:role/e2e"


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def drain():
    request = urllib.request.Request(os.environ["AWS_ENDPOINT_URL"] + "/_eddy/drain?timeout=60s", method="POST")
    with urllib.request.urlopen(request) as response:
        check(response.status == 200, "drain")


def zipped(source):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("lambda_function.py", source)
    return buffer.getvalue()


def create_function(name, source, **variables):
    """A python3.12 function from one source file, active when this returns."""
    lam = boto3.client("lambda")
    lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="lambda_function.handler",
                        Code={"ZipFile": zipped(source)}, Timeout=30, Environment={"Variables": variables})
    lam.get_waiter("function_active_v2").wait(FunctionName=name)


def map_source(function, source_arn, **settings):
    """An event source mapping, enabled when this returns."""
    lam = boto3.client("lambda")
    uuid = lam.create_event_source_mapping(FunctionName=function, EventSourceArn=source_arn, **settings)["UUID"]
    for _ in range(200):
        if lam.get_event_source_mapping(UUID=uuid)["State"] == "Enabled":
            return uuid
        time.sleep(0.05)
    check(False, "mapping %s enabled" % uuid)


def lines(function, phrase):
    """The function's log lines that contain the phrase."""
    events = []
    for page in boto3.client("logs").get_paginator("filter_log_events").paginate(
            logGroupName="/aws/lambda/" + function, filterPattern='"%s"' % phrase):
        events.extend(e["message"].strip() for e in page["events"])
    return events
