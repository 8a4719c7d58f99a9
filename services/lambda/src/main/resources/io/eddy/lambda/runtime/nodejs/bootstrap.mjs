// Eddy's Lambda runtime for Node.js: the Runtime API loop, built-in modules only.
// Started with the function's directory (LAMBDA_TASK_ROOT) as working directory, or started ahead of
// need with --spare: it then loads what it needs and waits for its function's environment and
// directory, one JSON document on stdin, so a cold start does not wait for Node.js to start.
import http from 'node:http';
import fs from 'node:fs';
import Module from 'node:module';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { pathToFileURL } from 'node:url';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = '/2018-06-01/runtime';
let host;
let port;
let TASK_ROOT;

function call(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host, port, method, path: BASE + urlPath, agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (body !== undefined) request.end(body); else request.end();
  });
}

let currentRequestId = undefined;

// One log event however many lines it spans: Lambda's runtime sends each console call as one frame of
// its telemetry channel, Eddy's runtime frames it in its output (Eddy's LogRecords reads it back).
// Written through process.stdout (synchronous for pipes and files), so the order with other output is kept.
function logRecord(text) {
  const message = Buffer.from(text, 'utf8');
  process.stdout.write(Buffer.concat([Buffer.from(`\x1e${message.length}:`, 'latin1'), message]));
}

// Console lines carry timestamp, request id and level.
function patchConsole() {
  const write = (level) => (...args) => {
    logRecord(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = write('TRACE');
  console.fatal = write('FATAL');
}

function errorDocument(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// What the log shows of an error: its type, message and code, its own enumerable properties, then its
// stack as lines (under "stack"; the response document calls it "trace"). A value that is not an Error
// is logged as an Error made from it; one whose properties cannot be serialised, as its response document.
function loggedError(error) {
  const logged = error instanceof Error ? error : new Error(String(error));
  try {
    return JSON.stringify(logged, (_key, value) => {
      if (!(value instanceof Error)) return value;
      const fields = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
      if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
      return fields;
    });
  } catch {
    return JSON.stringify(errorDocument(logged));
  }
}

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    // not enumerable, as on Lambda's runtime errors, so the logged error has no "name" field
    Object.defineProperty(this, 'name', { value: name, writable: true, configurable: true });
  }
}

async function postError(urlPath, error, label) {
  console.error(label, `\t${loggedError(error)}`);
  const document = errorDocument(error);
  await call('POST', urlPath, JSON.stringify(document), {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': document.errorType,
  });
}

async function loadHandler(handlerString) {
  const dot = handlerString.lastIndexOf('.');
  if (dot <= 0) {
    throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  }
  const modulePath = handlerString.slice(0, dot);
  const handlerName = handlerString.slice(dot + 1);
  const base = path.resolve(TASK_ROOT, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    const moduleName = path.basename(modulePath);
    throw new RuntimeError('Runtime.ImportModuleError',
      `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${new URL(import.meta.url).pathname}`);
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    }
    throw error;
  }
  let handler = handlerName.split('.').reduce((object, key) => (object == null ? undefined : object[key]), module);
  if (handler === undefined && module.default) {
    handler = handlerName.split('.').reduce((object, key) => (object == null ? undefined : object[key]), module.default);
  }
  if (handler === undefined) {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  }
  return handler;
}

function makeContext(headers, finish) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: headers['lambda-runtime-cognito-identity'] ? JSON.parse(headers['lambda-runtime-cognito-identity']) : undefined,
    clientContext: headers['lambda-runtime-client-context'] ? JSON.parse(headers['lambda-runtime-client-context']) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error, result) => finish(error, result),
    succeed: (result) => finish(null, result),
    fail: (error) => finish(error ?? 'handled', undefined),
  };
  return context;
}

function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let finished = false;
    let context;
    // a handler that never answers (a callback never called, a promise never settled) is answered
    // with null once it has nothing left to run, as Lambda's runtime does
    const answerNull = () => finish(null, undefined);
    const finish = (error, result, viaCallback = false) => {
      if (finished) return;
      finished = true;
      process.removeListener('beforeExit', answerNull);
      resolve({ error, result, awaitEmptyEventLoop: viaCallback && context.callbackWaitsForEmptyEventLoop });
    };
    process.once('beforeExit', answerNull);
    context = makeContext(headers, finish);
    try {
      const returned = handler.length >= 3
        ? handler(event, context, (error, result) => finish(error, result, true))
        : handler(event, context);
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => finish(null, result), (error) => finish(error ?? 'undefined', undefined));
      } else if (handler.length < 3) {
        finish(null, returned);
      }
    } catch (error) {
      finish(error, undefined);
    }
  });
}

// Lambda answers a callback-style handler only once nothing is left to run (timers, open sockets),
// unless the handler sets context.callbackWaitsForEmptyEventLoop = false. The runtime's own idle
// keep-alive socket does not count: Node.js unreferences free agent sockets.
function emptyEventLoop() {
  return new Promise((resolve) => process.once('beforeExit', resolve));
}

// A spare runtime makes one call through the Runtime API client to a throwaway local listener, so
// that the function's first call does not wait for Node.js to load and compile its HTTP client.
function warmUpClient() {
  return new Promise((resolve) => {
    const listener = net.createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n'));
    });
    listener.on('error', resolve);
    listener.listen(0, '127.0.0.1', () => {
      host = '127.0.0.1';
      port = listener.address().port;
      call('GET', '/invocation/next').catch(() => {}).finally(() => listener.close(resolve));
    });
  });
}

// A spare runtime takes on its function's environment, directory and module search path (NODE_PATH).
function awaitAssignment() {
  const assignment = JSON.parse(fs.readFileSync(0, 'utf8'));
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, assignment.environment);
  process.chdir(assignment.directory);
  Module._initPaths();
  process.argv.splice(2);
}

async function main() {
  [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
  TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
  patchConsole();
  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || '');
  } catch (error) {
    await postError('/init/error', error, 'Uncaught Exception');
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const requestId = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = next.body.length ? JSON.parse(next.body.toString('utf8')) : {};
    } catch (error) {
      await postError(`/invocation/${requestId}/error`, new RuntimeError('Runtime.UnmarshalError', error.message), 'Invoke Error');
      continue;
    }
    const { error, result, awaitEmptyEventLoop } = await runHandler(handler, event, next.headers);
    if (awaitEmptyEventLoop) await emptyEventLoop();
    if (error !== null && error !== undefined) {
      await postError(`/invocation/${requestId}/error`, error, 'Invoke Error');
      continue;
    }
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (marshal) {
      await postError(`/invocation/${requestId}/error`,
        new RuntimeError('Runtime.MarshalError', `Unable to stringify response body as json: ${marshal.message}`),
        'Invoke Error');
      continue;
    }
    await call('POST', `/invocation/${requestId}/response`, payload, { 'Content-Type': 'application/json' });
  }
}

process.on('uncaughtException', async (error) => {
  await postError(currentRequestId ? `/invocation/${currentRequestId}/error` : '/init/error',
    error, 'Uncaught Exception').catch(() => {});
  process.exit(129);
});

if (process.argv[2] === '--spare') {
  // without a way to re-read NODE_PATH a spare cannot serve functions: it ends, and cold starts start their own runtime
  if (typeof Module._initPaths !== 'function') process.exit(1);
  await warmUpClient();
  awaitAssignment();
}
main();
