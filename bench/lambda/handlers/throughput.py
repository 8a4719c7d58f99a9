import time


def handler(event, context):
    print(f"BATCH {len(event['Records'])} {time.time_ns() // 1000}")
