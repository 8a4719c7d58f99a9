# Eddy's Lambda runtime for Python: the Runtime API loop, standard library only.
# Started with the function's directory (LAMBDA_TASK_ROOT) as working directory, or started ahead of
# need with --spare: it then imports what it needs and waits for its function's environment, one
# JSON line on stdin, so a cold start does not wait for the interpreter to start.
import importlib
import json
import logging
import os
import socket
import sys
import time

BASE = "/2018-06-01/runtime"
API = None
TASK_ROOT = None


class _RuntimeApi:
    """HTTP/1.1 over one keep-alive connection with Nagle off: requests go out in one write, and the
    headers Eddy sends are parsed without the http.client machinery (imports and per-call cost)."""

    def __init__(self, authority):
        host, port = authority.rsplit(":", 1)
        self._address = (host, int(port))
        self._host = authority.encode("ascii")
        self._socket = None
        self._reader = None

    def _connect(self):
        self._socket = socket.create_connection(self._address)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = self._socket.makefile("rb")

    def call(self, method, path, body=b"", headers=None):
        for attempt in (0, 1):
            try:
                if self._socket is None:
                    self._connect()
                head = [b"%s %s%s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n" % (
                    method.encode("ascii"), BASE.encode("ascii"), path.encode("ascii"), self._host, len(body))]
                if headers:
                    for name, value in headers.items():
                        head.append(("%s: %s\r\n" % (name, value)).encode("utf-8"))
                head.append(b"\r\n")
                self._socket.sendall(b"".join(head) + body)
                return self._read_response()
            except (OSError, ValueError):
                self.close()
                if attempt:
                    raise

    def _read_response(self):
        status = self._reader.readline()
        if not status:
            raise ConnectionError("the Runtime API closed the connection")
        headers = {}
        while True:
            line = self._reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self._reader.read(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return int(status.split()[1]), headers, body

    def close(self):
        if self._socket is not None:
            try:
                self._reader.close()
                self._socket.close()
            except OSError:
                pass
        self._socket = None
        self._reader = None


_api = None


def _call(method, path, body=b"", headers=None):
    return _api.call(method, path, body, headers)


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _cognito_identity(text):
    if not text:
        return None
    data = json.loads(text)
    identity = CognitoIdentity()
    identity.cognito_identity_id = data.get("cognitoIdentityId")
    identity.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")
    return identity


def _client_context(text):
    if not text:
        return None
    data = json.loads(text)
    context = ClientContext()
    context.custom = data.get("custom")
    context.env = data.get("env")
    context.client = None
    client = data.get("client")
    if client:
        context.client = Client()
        context.client.installation_id = client.get("installation_id")
        context.client.app_title = client.get("app_title")
        context.client.app_version_name = client.get("app_version_name")
        context.client.app_version_code = client.get("app_version_code")
        context.client.app_package_name = client.get("app_package_name")
    return context


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_function_arn, client_context, cognito_identity):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.client_context = _client_context(client_context)
        self.identity = _cognito_identity(cognito_identity)
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))
        sys.stdout.flush()

    def __repr__(self):
        return ("LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
                "memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])"
                .format(self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                        self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                        self.client_context, self.identity))


_current_request_id = ""


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


def _configure_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if level:
        root.setLevel(level.upper())


class _InitError(Exception):
    def __init__(self, error_type, message, stack=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack = stack or []


def _load_handler(handler):
    try:
        module_path, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise _InitError("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    module_name = module_path.replace("/", ".")
    if module_name.startswith("."):
        raise _InitError("Runtime.BadHandlerPath",
                         "Cannot use relative module path '{}' in handler '{}'".format(module_path, handler))
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise _InitError("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise _InitError("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(module_name, e), trace)
    function = getattr(module, function_name, None)
    if function is None:
        raise _InitError("Runtime.HandlerNotFound",
                         "Handler '{}' missing on module '{}'".format(function_name, module_name))
    return function


def _error_document(error_type, message, stack):
    return {"errorMessage": message, "errorType": error_type, "requestId": _current_request_id, "stackTrace": stack}


def _exception_document(exc):
    import traceback
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != __file__]
    stack = traceback.format_list(frames)
    return _error_document(type(exc).__name__, str(exc), stack)


def _log_error(document):
    lines = ["[ERROR] {}: {}".format(document["errorType"], document["errorMessage"])]
    if document["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in document["stackTrace"])
    sys.stdout.write("\r".join(lines) + "\n")


def _flush():
    sys.stdout.flush()
    sys.stderr.flush()


def _post_error(path, document):
    _log_error(document)
    _flush()
    body = json.dumps(document).encode("utf-8")
    _call("POST", path, body, {"Lambda-Runtime-Function-Error-Type": document["errorType"]})


def _await_assignment():
    """A spare runtime: the function's environment and directory arrive as one JSON line on stdin."""
    assignment = json.loads(sys.stdin.buffer.readline())
    os.environ.clear()
    os.environ.update(assignment["environment"])
    time.tzset()
    os.chdir(assignment["directory"])


def main():
    global _current_request_id, _api, API, TASK_ROOT
    API = os.environ["AWS_LAMBDA_RUNTIME_API"]
    TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    _api = _RuntimeApi(API)
    sys.path.insert(0, TASK_ROOT)
    _configure_logging()
    try:
        handler = _load_handler(os.environ["_HANDLER"])
    except _InitError as e:
        _post_error("/init/error", _error_document(e.error_type, e.message, e.stack))
        sys.exit(1)
    except Exception as e:
        _post_error("/init/error", _exception_document(e))
        sys.exit(1)

    while True:
        status, headers, body = _call("GET", "/invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id")
        _current_request_id = request_id
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms")),
                                headers.get("lambda-runtime-invoked-function-arn"),
                                headers.get("lambda-runtime-client-context"),
                                headers.get("lambda-runtime-cognito-identity"))
        try:
            event = json.loads(body) if body else {}
        except ValueError as e:
            _post_error("/invocation/{}/error".format(request_id),
                        _error_document("Runtime.UnmarshalError", "Unable to unmarshal input: {}".format(e), []))
            continue
        try:
            result = handler(event, context)
        except Exception as e:
            _post_error("/invocation/{}/error".format(request_id), _exception_document(e))
            continue
        try:
            payload = json.dumps(result).encode("utf-8")
        except (TypeError, ValueError) as e:
            _post_error("/invocation/{}/error".format(request_id),
                        _error_document("Runtime.MarshalError", "Unable to marshal response: {}".format(e), []))
            continue
        _flush()
        _call("POST", "/invocation/{}/response".format(request_id), payload)


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    if len(sys.argv) > 1 and sys.argv[1] == "--spare":
        _await_assignment()
    main()
