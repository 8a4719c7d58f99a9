-- wrk script sending DynamoDB AWS JSON 1.0 requests.
-- Arguments after "--": <operation: put|get|query> <key namespace> <preloaded items> <items per GSI1 group>
-- put:   writes new ~200-byte items whose keys are unique per thread and namespace (a counter),
--        so a warmup and a measured pass never overwrite each other's items.
-- get:   reads a random preloaded item by its full primary key.
-- query: queries GSI1 for a random preloaded group (returns <items per group> items).
-- The item layout must match bench/lib/dynamodb_setup.py.

local next_thread_id = 0

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

-- 138 characters, which brings an item (attribute names plus values) to 200 bytes.
local PAYLOAD = string.rep("0123456789abcdefghijklmnopqrstuvwxyz", 4):sub(1, 138)

function init(args)
  operation = args[1]
  namespace = args[2]
  preloaded_items = tonumber(args[3])
  group_size = tonumber(args[4])
  counter = 0
  math.randomseed(os.time() + thread_id * 7919)
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Date"] = "20250101T000000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/dynamodb/aws4_request, "
    .. "SignedHeaders=host;x-amz-date, Signature=0000"
  if operation == "put" then
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.PutItem"
    request = put_request
  elseif operation == "get" then
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.GetItem"
    request = get_request
  elseif operation == "query" then
    wrk.headers["X-Amz-Target"] = "DynamoDB_20120810.Query"
    request = query_request
  else
    error("unknown operation " .. tostring(operation))
  end
end

function put_request()
  counter = counter + 1
  local id = string.format("%s%d-%08d", namespace, thread_id, counter)
  local group = string.format("%s%d-g%05d", namespace, thread_id, counter % 100000)
  return wrk.format(nil, nil, nil,
    '{"TableName":"bench","Item":{"PK":{"S":"' .. id .. '"},"SK":{"S":"meta"},'
    .. '"GSI1PK":{"S":"' .. group .. '"},"GSI1SK":{"S":"' .. id .. '"},"data":{"S":"' .. PAYLOAD .. '"}}}')
end

function get_request()
  local item = math.random(0, preloaded_items - 1)
  return wrk.format(nil, nil, nil,
    string.format('{"TableName":"bench","Key":{"PK":{"S":"item#%08d"},"SK":{"S":"meta"}}}', item))
end

function query_request()
  local group = math.random(0, math.floor(preloaded_items / group_size) - 1)
  return wrk.format(nil, nil, nil,
    string.format('{"TableName":"bench","IndexName":"GSI1","KeyConditionExpression":"GSI1PK = :g",'
      .. '"ExpressionAttributeValues":{":g":{"S":"group#%06d"}}}', group))
end

-- One machine-readable line; latencies in microseconds.
function done(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
