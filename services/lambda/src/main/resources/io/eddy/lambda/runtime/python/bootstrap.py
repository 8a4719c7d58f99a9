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

    def connect(self):
        self._socket = socket.create_connection(self._address)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._reader = self._socket.makefile("rb")

    def call(self, method, path, body=b"", headers=None):
        for attempt in (0, 1):
            try:
                if self._socket is None:
                    self.connect()
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


class _Described:
    """Printed as Lambda's runtime prints its context objects: Name([field=value,...])."""
    __slots__ = []

    def __repr__(self):
        return "{}([{}])".format(type(self).__name__,
                                 ",".join("{}={}".format(name, getattr(self, name)) for name in self.__slots__))


class CognitoIdentity(_Described):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(_Described):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext(_Described):
    __slots__ = ["custom", "env", "client"]


def _cognito_identity(text):
    """Always an identity, its fields None when the invocation carries none (as in Lambda's runtime)."""
    data = json.loads(text) if text else {}
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
    if client is not None:
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
        _log_record(str(message))

    def __repr__(self):
        return ("LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
                "memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])"
                .format(self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name,
                        self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
                        self.client_context, self.identity))


_current_request_id = ""
_log_out = None
UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html")


def _log_record(text):
    """Writes one log event, however many lines it spans: Lambda's runtime sends each logger record and
    error report as one frame of its telemetry channel, Eddy's runtime frames it in its output (Eddy's
    LogRecords reads it back). Output already written is flushed first, so the order is kept."""
    data = text.encode("utf-8", "replace")
    if not data:
        return
    _flush()
    _log_out.write(b"\x1e%d:%s" % (len(data), data))
    _log_out.flush()


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


class _LambdaLogHandler(logging.Handler):
    """One log event per record, its message exactly as formatted (the format ends it with a newline)."""

    def emit(self, record):
        try:
            _log_record(self.format(record))
        except Exception:
            self.handleError(record)


def _configure_logging():
    handler = _LambdaLogHandler()
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
    """The stack from (file, line, function, source) of each frame below this runtime's own: formatted
    from those alone, the entries carry no column markers (the ^^^ lines of Python 3.11+)."""
    import traceback
    frames = traceback.extract_tb(exc.__traceback__)
    first = 0
    while first < len(frames) and frames[first].filename == __file__:
        first += 1
    stack = traceback.format_list([(f.filename, f.lineno, f.name, f.line) for f in frames[first:]])
    return _error_document(type(exc).__name__, str(exc), stack)


def _indented(line):
    """Leading spaces become no-break spaces, as Lambda's runtime logs stack lines."""
    text = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(text)) + text


def _log_error(document):
    """One log event: [ERROR] <type>: <message>, then the traceback, even an empty one."""
    head = "[ERROR]"
    if document["errorType"]:
        head += " " + document["errorType"]
    if document["errorMessage"]:
        head += (":" if document["errorType"] else "") + " " + document["errorMessage"]
    lines = [head, "Traceback (most recent call last):"]
    for entry in document["stackTrace"]:
        lines.extend([_indented(line) for line in entry.splitlines()] if entry else [""])
    _log_record("\n".join(lines))


def _flush():
    sys.stdout.flush()
    sys.stderr.flush()
    if sys.stdout is not sys.__stdout__:
        sys.__stdout__.flush()


def _post_error(path, document):
    _log_error(document)
    body = json.dumps(document).encode("utf-8")
    _call("POST", path, body, {"Lambda-Runtime-Function-Error-Type": document["errorType"]})


def _warm_up_client():
    """A spare connects the Runtime API client once to a throwaway local listener, so that the function's
    first connection does not wait for what Python loads on first use (the codec for host names)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = _RuntimeApi("127.0.0.1:%d" % listener.getsockname()[1])
        client.connect()
        client.close()


def _await_assignment():
    """A spare runtime: the function's environment and directory arrive as one JSON line on stdin."""
    assignment = json.loads(sys.stdin.buffer.readline())
    os.environ.clear()
    os.environ.update(assignment["environment"])
    time.tzset()
    os.chdir(assignment["directory"])
    del sys.argv[1:]


def main():
    global _current_request_id, _api, _log_out, API, TASK_ROOT
    _log_out = sys.stdout.buffer
    API = os.environ["AWS_LAMBDA_RUNTIME_API"]
    TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    _api = _RuntimeApi(API)
    try:
        # Eddy accepts the connection while the handler's module is imported
        _api.connect()
    except OSError:
        _api.close()
    sys.path.insert(0, TASK_ROOT)
    _configure_logging()
    try:
        handler = _load_handler(os.environ["_HANDLER"])
    except Exception as e:
        document = (_error_document(e.error_type, e.message, e.stack) if isinstance(e, _InitError)
                    else _exception_document(e))
        # Lambda's runtime warns of a possible runtime update on init errors (not on invocation errors)
        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        _post_error("/init/error", document)
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
        _warm_up_client()
        _await_assignment()
    main()
