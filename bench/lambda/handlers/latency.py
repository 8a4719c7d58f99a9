import time


def handler(event, context):
    # Read the clock first: everything after it is the handler's own time, not Eddy's.
    now_us = time.time_ns() // 1000
    for record in event["Records"]:
        image = record["dynamodb"]["NewImage"]
        print(f"LATENCY_US {image['seq']['N']} {now_us - int(image['stamp']['N'])}")
