/**
 * The worker side of an isolated entrant (isolated-entrant.ts): makes the workload and the contender named in its
 * worker data, then answers the runner's requests one by one with a local entrant.
 */
import { parentPort, workerData } from "node:worker_threads";
import { CONTENDERS } from "./contenders.js";
import { localEntrant } from "./entrant.js";
import type { EntrantReply, EntrantRequest, EntrantWorkerData } from "./isolated-entrant.js";
import { workloadFrom } from "./workloads.js";

const port = parentPort;
if (port === null) throw new Error("entrant-worker runs in a worker thread");
const { contender: name, source } = workerData as EntrantWorkerData;
const contender = CONTENDERS.find((candidate) => candidate.name === name);
if (contender === undefined) throw new Error(`no contender called ${name}`);
const entrant = localEntrant(workloadFrom(source), await contender.load());

port.on("message", async (request: EntrantRequest) => {
  let reply: EntrantReply;
  if (request.operation === "verify") {
    const onProgress = (fraction: number): void => port.postMessage({ progress: fraction });
    reply = { id: request.id, outcome: await entrant.verify(request.timeLimit, onProgress) };
  } else if (request.operation === "warmUp") {
    reply = { id: request.id, outcome: await entrant.warmUp() };
  } else {
    reply = { id: request.id, outcome: await entrant.time() };
  }
  port.postMessage(reply);
});
