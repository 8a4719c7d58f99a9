"""AWS JSON 1.0 requests over one keep-alive connection, standard library only, for the benchmark steps
that wrk cannot do. Requests carry a SigV4-shaped Authorization header: the servers measured take
account and region from its credential scope and check no signature."""
import http.client
import json


class AwsJson:
    def __init__(self, port, target_prefix, service, timeout=30):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.target_prefix = target_prefix
        self.authorization = (f"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/{service}/aws4_request, "
                              "SignedHeaders=host;x-amz-date, Signature=0000")

    def call(self, operation, request):
        self.connection.request("POST", "/", body=json.dumps(request), headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"{self.target_prefix}.{operation}",
            "X-Amz-Date": "20250101T000000Z",
            "Authorization": self.authorization,
        })
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{operation} answered HTTP {response.status}: {body[:500]!r}")
        return json.loads(body or b"{}")


def dynamodb(port, timeout=30):
    return AwsJson(port, "DynamoDB_20120810", "dynamodb", timeout)


def sqs(port, timeout=30):
    return AwsJson(port, "AmazonSQS", "sqs", timeout)
