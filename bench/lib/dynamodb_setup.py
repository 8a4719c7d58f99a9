"""Creates the benchmark table on a DynamoDB endpoint, preloads items and checks that reads see them.

Table "bench": key PK (hash) + SK (range), global secondary index GSI1 on GSI1PK + GSI1SK.
Item i: PK "item#<i:08d>", SK "meta", GSI1PK "group#<i // group_size:06d>", GSI1SK = PK,
data = 138 characters, which makes 200 bytes of attribute names plus values. bench/wrk/dynamodb.lua
reads exactly these keys. Standard library only, so it runs on any python3.
"""
import argparse
import sys
import threading
import time

import aws_json

PAYLOAD = ("0123456789abcdefghijklmnopqrstuvwxyz" * 4)[:138]
TABLE = "bench"


def item(index, group_size):
    key = f"item#{index:08d}"
    return {"PK": {"S": key}, "SK": {"S": "meta"}, "GSI1PK": {"S": f"group#{index // group_size:06d}"},
            "GSI1SK": {"S": key}, "data": {"S": PAYLOAD}}


def create_table(client):
    string_attribute = lambda name: {"AttributeName": name, "AttributeType": "S"}
    key = lambda hash_name, range_name: [{"AttributeName": hash_name, "KeyType": "HASH"},
                                         {"AttributeName": range_name, "KeyType": "RANGE"}]
    client.call("CreateTable", {
        "TableName": TABLE,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [string_attribute(n) for n in ("PK", "SK", "GSI1PK", "GSI1SK")],
        "KeySchema": key("PK", "SK"),
        "GlobalSecondaryIndexes": [{"IndexName": "GSI1", "KeySchema": key("GSI1PK", "GSI1SK"),
                                    "Projection": {"ProjectionType": "ALL"}}],
    })
    deadline = time.monotonic() + 30
    while True:
        table = client.call("DescribeTable", {"TableName": TABLE})["Table"]
        statuses = [table["TableStatus"]] + [i["IndexStatus"] for i in table.get("GlobalSecondaryIndexes", [])]
        if all(status == "ACTIVE" for status in statuses):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"table not ACTIVE after 30 s: {statuses}")
        time.sleep(0.05)


def preload(port, items, group_size, connections):
    failures = []

    def load(start):
        try:
            client = aws_json.dynamodb(port)
            for index in range(start, items, connections):
                client.call("PutItem", {"TableName": TABLE, "Item": item(index, group_size)})
        except Exception as failure:  # reported below; a thread's exception would otherwise be lost
            failures.append(failure)

    threads = [threading.Thread(target=load, args=(start,)) for start in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def verify(client, items, group_size):
    last = items - 1
    found = client.call("GetItem", {"TableName": TABLE, "Key": {"PK": {"S": f"item#{last:08d}"}, "SK": {"S": "meta"}}})
    if found.get("Item") != item(last, group_size):
        raise RuntimeError(f"GetItem of the last preloaded item returned {found}")
    group = f"group#{(items // group_size) - 1:06d}"
    queried = client.call("Query", {"TableName": TABLE, "IndexName": "GSI1", "KeyConditionExpression": "GSI1PK = :g",
                                    "ExpressionAttributeValues": {":g": {"S": group}}})
    if queried.get("Count") != group_size:
        raise RuntimeError(f"Query of {group} on GSI1 returned Count {queried.get('Count')}, expected {group_size}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--group-size", type=int, required=True)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if args.items % args.group_size:
        sys.exit("--items must be a multiple of --group-size")
    create_table(aws_json.dynamodb(args.port))
    preload(args.port, args.items, args.group_size, args.connections)
    # A new connection: the servers close keep-alive connections left idle during a long preload.
    verify(aws_json.dynamodb(args.port), args.items, args.group_size)


if __name__ == "__main__":
    main()
