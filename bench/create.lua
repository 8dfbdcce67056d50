-- wrk script for bench/run.sh: POST /v1/training-jobs (CreateTrainingJob)
-- with a unique TrainingJobName on every request.
--
--   wrk -t2 -c64 -d10s --latency -s bench/create.lua URL/v1/training-jobs -- RUN_ID REQUEST_FILE
--
-- RUN_ID keeps names unique across runs against one database; REQUEST_FILE
-- is the request body (bench/create_request.json) whose "bench-template"
-- name is replaced. Names look like c<run>-<thread>-<n>, well inside
-- SageMaker's 63 characters.

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local run_id = args[1] or tostring(os.time())
  local file = assert(io.open(args[2] or "bench/create_request.json", "rb"))
  local template = file:read("*a")
  file:close()
  local at = assert(template:find('"bench-template"', 1, true), "no bench-template name")
  head = template:sub(1, at)                              -- up to the opening quote
  tail = template:sub(at + #'"bench-template"' - 1)       -- from the closing quote
  prefix = "c" .. run_id .. "-" .. thread_id .. "-"
  counter = 0
  headers = { ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  return wrk.format("POST", nil, headers, head .. prefix .. counter .. tail)
end
