import time


def handler(event, context):
    # A burst's events sleep so that they overlap and each needs an environment of its own.
    time.sleep(event.get("sleep", 0))
    return event["n"]
