"""CloudWatch metrics over each of its three wire protocols, and `aws logs tail --follow`'s polling,
driven through botocore exactly as boto3 and the AWS CLI drive them."""
import datetime
import threading
import time
import uuid

import boto3
import botocore.exceptions
import botocore.model


def cloudwatch_client(protocol):
    # botocore picks the first protocol of its priority list that the service offers; pinning
    # the list makes one client per wire protocol (json is botocore's own choice for CloudWatch)
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = (protocol,)
    client = boto3.session.Session().client("cloudwatch")
    assert client.meta.service_model.resolved_protocol == protocol, client.meta.service_model.resolved_protocol
    return client


def exercise_metrics(protocol):
    cw = cloudwatch_client(protocol)
    ns = "Py/" + protocol + "/" + uuid.uuid4().hex[:8]
    t0 = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    dims = [{"Name": "FunctionName", "Value": "fn"}]
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Duration", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(seconds=1),
         "Values": [10.0, 20.0, 30.0], "Counts": [1, 2, 1], "Unit": "Milliseconds"},
        {"MetricName": "Duration", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(seconds=61),
         "Value": 40.0, "Unit": "Milliseconds"},
    ])
    stats = cw.get_metric_statistics(Namespace=ns, MetricName="Duration", Dimensions=dims, StartTime=t0,
                                     EndTime=t0 + datetime.timedelta(minutes=2), Period=60,
                                     Statistics=["Sum", "SampleCount", "Maximum"])
    points = sorted(stats["Datapoints"], key=lambda p: p["Timestamp"])
    assert stats["Label"] == "Duration", stats
    assert [p["Timestamp"] for p in points] == [t0, t0 + datetime.timedelta(minutes=1)], points
    assert points[0]["Sum"] == 80.0 and points[0]["SampleCount"] == 4.0 and points[0]["Maximum"] == 30.0, points
    assert points[0]["Unit"] == "Milliseconds", points

    pct = cw.get_metric_statistics(Namespace=ns, MetricName="Duration", Dimensions=dims, StartTime=t0,
                                   EndTime=t0 + datetime.timedelta(minutes=2), Period=120, ExtendedStatistics=["p50", "p99"])
    assert pct["Datapoints"][0]["ExtendedStatistics"] == {"p50": 20.0, "p99": 40.0}, pct

    data = cw.get_metric_data(StartTime=t0, EndTime=t0 + datetime.timedelta(minutes=2), ScanBy="TimestampAscending",
                              MetricDataQueries=[{"Id": "m1", "MetricStat": {
                                  "Metric": {"Namespace": ns, "MetricName": "Duration", "Dimensions": dims},
                                  "Period": 60, "Stat": "Average"}}])
    result = data["MetricDataResults"][0]
    assert result["Id"] == "m1" and result["StatusCode"] == "Complete", result
    assert result["Values"] == [20.0, 40.0], result
    assert result["Timestamps"] == [t0, t0 + datetime.timedelta(minutes=1)], result

    # Sums per minute are 80 and 40: e2 divides the second by zero, which drops it with AWS's message
    math = cw.get_metric_data(StartTime=t0, EndTime=t0 + datetime.timedelta(minutes=2), ScanBy="TimestampAscending",
                              MetricDataQueries=[
                                  {"Id": "m1", "ReturnData": False, "MetricStat": {
                                      "Metric": {"Namespace": ns, "MetricName": "Duration", "Dimensions": dims},
                                      "Period": 60, "Stat": "Sum"}},
                                  {"Id": "e1", "Expression": "m1 / 10"},
                                  {"Id": "e2", "Label": "Ratio", "Expression": "m1 / (m1 - 40)"}])
    scaled, ratio = math["MetricDataResults"]
    assert scaled["Id"] == "e1" and scaled["Label"] == "e1" and scaled["Values"] == [8.0, 4.0], scaled
    assert scaled.get("Messages", []) == [], scaled
    assert ratio["Label"] == "Ratio" and ratio["Values"] == [2.0] and ratio["Timestamps"] == [t0], ratio
    assert ratio["Messages"] == [{"Code": "ArithmeticError", "Value": "One or more data-points have been dropped"
                                  " due to non-numeric values (NaN, -Infinite, +Infinite)"}], ratio

    metrics = cw.list_metrics(Namespace=ns)["Metrics"]
    assert metrics == [{"Namespace": ns, "MetricName": "Duration", "Dimensions": dims}], metrics

    try:
        cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "x", "Value": 1.0, "StatisticValues": {
            "SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])
        raise AssertionError("Value with StatisticValues was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameterCombination", e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
    try:
        cw.get_metric_statistics(Namespace=ns, MetricName="Duration", StartTime=t0, EndTime=t0, Period=60,
                                 Statistics=["Sum"])
        raise AssertionError("empty time range was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameterValue", e.response
    try:
        stat = {"Metric": {"Namespace": ns, "MetricName": "Duration"}, "Period": 60}
        cw.get_metric_data(StartTime=t0, EndTime=t0 + datetime.timedelta(minutes=2), MetricDataQueries=[
            {"Id": "Bad", "MetricStat": dict(stat, Stat="Sum")}, {"Id": "m2", "MetricStat": dict(stat, Stat="Median")}])
        raise AssertionError("bad query id and statistic were accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationError", e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        assert e.response["Error"]["Message"] == (
            "The value Bad for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\n"
            "The value Median for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic.\n"), e.response
    print("metrics over", protocol, "OK")


def tail_follow():
    """What `aws logs tail --follow` (CLI v2) does: poll FilterLogEvents from the last seen timestamp,
    dropping events already printed by eventId."""
    logs = boto3.session.Session().client("logs")
    group = "/py/tail/" + uuid.uuid4().hex[:8]
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s1")
    logs.create_log_stream(logGroupName=group, logStreamName="s2")
    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=group, logStreamName="s1",
                        logEvents=[{"timestamp": now - 10, "message": "before 1"}, {"timestamp": now - 5, "message": "before 2"}])

    def writer():
        for i in range(3):
            time.sleep(0.3)
            logs.put_log_events(logGroupName=group, logStreamName="s2" if i % 2 else "s1",
                                logEvents=[{"timestamp": int(time.time() * 1000), "message": "live %d" % i}])

    thread = threading.Thread(target=writer)
    thread.start()
    seen_ids, printed = set(), []
    start = now - 60_000
    deadline = time.time() + 10
    while len(printed) < 5 and time.time() < deadline:
        for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group, startTime=start, interleaved=True):
            for event in page["events"]:
                if event["eventId"] in seen_ids:
                    continue
                seen_ids.add(event["eventId"])
                printed.append(event["message"])
                start = max(start, event["timestamp"])
        time.sleep(0.2)
    thread.join()
    assert printed == ["before 1", "before 2", "live 0", "live 1", "live 2"], printed
    print("logs tail --follow polling OK")


if __name__ == "__main__":
    for protocol in ("json", "query", "smithy-rpc-v2-cbor"):
        exercise_metrics(protocol)
    botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor", "query", "ec2")
    tail_follow()
    print("cloudwatch-py OK")
