-- wrk script sending SQS AWS JSON 1.0 requests.
-- Arguments after "--": <operation: send|fill|consume> <queue URL>
-- send:    SendMessage of a 200-byte body.
-- fill:    SendMessageBatch of 10 such bodies: fills the queue fast before a consume pass, so that pass
--          measures consuming rather than an empty queue.
-- consume: ReceiveMessage (one message, no wait), then DeleteMessage of each receipt handle received;
--          a connection sends a Delete whenever its thread holds an undeleted handle, a Receive otherwise.
-- The RESULT line adds per-operation counts, so consumed messages per second and empty receives
-- (the queue ran dry) can be told apart from plain request rates.

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local BODY = string.rep("0123456789abcdefghijklmnopqrstuvwxyz", 6):sub(1, 200)

-- wrk.format replaces (rather than extends) wrk.headers when given headers, so the target goes into wrk.headers.
local function sqs_request(target, body)
  wrk.headers["X-Amz-Target"] = "AmazonSQS." .. target
  return wrk.format(nil, nil, nil, body)
end

function init(args)
  operation = args[1]
  queue_url = args[2]
  receipt_handles = {}
  receives_sent = 0
  deletes_sent = 0
  handles_received = 0
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Date"] = "20250101T000000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/sqs/aws4_request, "
    .. "SignedHeaders=host;x-amz-date, Signature=0000"
  if operation == "send" then
    send_request = sqs_request("SendMessage", '{"QueueUrl":"' .. queue_url .. '","MessageBody":"' .. BODY .. '"}')
    request = function() return send_request end
  elseif operation == "fill" then
    local entries = {}
    for index = 0, 9 do
      entries[#entries + 1] = '{"Id":"m' .. index .. '","MessageBody":"' .. BODY .. '"}'
    end
    fill_request = sqs_request("SendMessageBatch",
      '{"QueueUrl":"' .. queue_url .. '","Entries":[' .. table.concat(entries, ",") .. ']}')
    request = function() return fill_request end
  elseif operation == "consume" then
    receive_request = sqs_request("ReceiveMessage", '{"QueueUrl":"' .. queue_url .. '","MaxNumberOfMessages":1,"WaitTimeSeconds":0}')
    request = consume_request
    response = consume_response
  else
    error("unknown operation " .. tostring(operation))
  end
end

function consume_request()
  local handle = table.remove(receipt_handles)
  if handle then
    deletes_sent = deletes_sent + 1
    return sqs_request("DeleteMessage", '{"QueueUrl":"' .. queue_url .. '","ReceiptHandle":"' .. handle .. '"}')
  end
  receives_sent = receives_sent + 1
  return receive_request
end

function consume_response(status, headers, body)
  for handle in body:gmatch('"ReceiptHandle":"([^"]+)"') do
    handles_received = handles_received + 1
    table.insert(receipt_handles, handle)
  end
end

-- One machine-readable line; latencies in microseconds (over all requests, Receive and Delete mixed).
function done(summary, latency, requests)
  local receives, deletes, handles = 0, 0, 0
  for _, thread in ipairs(threads) do
    receives = receives + thread:get("receives_sent")
    deletes = deletes + thread:get("deletes_sent")
    handles = handles + thread:get("handles_received")
  end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d"
    .. " receives=%d deletes=%d messages_received=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), receives, deletes, handles))
end
