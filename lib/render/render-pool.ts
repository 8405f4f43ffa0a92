import "server-only";
import { Worker, type WorkerOptions } from "node:worker_threads";
import type { ElementContent } from "hast";
import type { RenderReply, RenderRequest } from "./markdown-worker";

/**
 * Runs Markdown formatting on one worker thread with a time limit per message.
 *
 * A unified pipeline is synchronous and cannot be interrupted: on the main thread one hostile
 * message stalled every request (health checks included) and then ignored SIGTERM. On a worker
 * it delays nothing but the formatting queue, and a job past its limit is ended by terminating
 * the worker (a new one starts for the next job). One worker, one job at a time: the machine has
 * two cores and the other one serves requests.
 */

/**
 * Why a job produced no HTML. `too_deep`, `failed` and `timeout` say something about the message
 * and can be remembered; `busy` (queue full) and `unavailable` (the worker never answered) are
 * about this moment only.
 */
export type RenderFailure = "too_deep" | "failed" | "timeout" | "busy" | "unavailable";

type RenderOutcome = { ok: true; parts: ElementContent[][]; ms: number } | { ok: false; reason: RenderFailure; ms: number };

export interface RenderPool {
  render(parts: string[]): Promise<RenderOutcome>;
  /** Ends the worker and answers every waiting job `unavailable`. */
  close(): Promise<void>;
}

interface RenderPoolOptions {
  /** Longest one message may take, measured from when the worker is handed it. */
  timeoutMs: number;
  /** Jobs waiting beyond this are answered `busy` at once instead of queueing. */
  maxQueue: number;
  /** The worker script; by default markdown-worker (or what useWorkerEntry set). */
  entry?: URL;
}

interface Job {
  id: number;
  parts: string[];
  resolve: (outcome: RenderOutcome) => void;
  startedAt: number;
  timer?: NodeJS.Timeout;
}

const WORKER_OPTIONS: WorkerOptions = {
  // A hostile message may also try to exhaust memory: that ends the worker, not the server.
  resourceLimits: { maxOldGenerationSizeMb: 256 },
};

let workerEntry: URL | undefined;

/** Tests run the worker from an esbuild bundle, since Node cannot start the TypeScript entry itself. */
export function useWorkerEntry(url: URL): void {
  workerEntry = url;
}

function startWorker(entry: URL | undefined): Worker {
  // This literal `new Worker(new URL(…, import.meta.url))` is the form Next's bundler recognises:
  // it builds markdown-worker.ts as a separate entry and rewrites the URL to it.
  return entry ? new Worker(entry, WORKER_OPTIONS) : new Worker(new URL("./markdown-worker.ts", import.meta.url), WORKER_OPTIONS);
}

export function createRenderPool({ timeoutMs, maxQueue, entry }: RenderPoolOptions): RenderPool {
  const queue: Job[] = [];
  let worker: Worker | null = null;
  /** Whether the current worker has answered at all: a worker that dies before that never started. */
  let answered = false;
  let current: Job | null = null;
  let nextId = 1;

  function spawn(): Worker {
    const started = startWorker(entry ?? workerEntry);
    // An idle worker must not keep the process alive (the server exits on SIGTERM at once).
    started.unref();
    answered = false;
    started.on("message", (reply: RenderReply) => {
      if (started !== worker || !current || reply.id !== current.id) return;
      answered = true;
      finish(reply.ok ? { ok: true, parts: reply.parts } : { ok: false, reason: reply.reason });
    });
    const lost = (error?: Error & { code?: string }) => {
      if (started !== worker) return;
      worker = null;
      // Running out of memory is the message's doing; dying before any answer (say, an entry that
      // cannot load) is not, and the next job tries a new worker.
      const messageAtFault = answered || error?.code === "ERR_WORKER_OUT_OF_MEMORY";
      if (current) finish({ ok: false, reason: messageAtFault ? "failed" : "unavailable" });
    };
    started.on("error", lost);
    started.on("exit", () => lost());
    return started;
  }

  function dispatch() {
    if (current || queue.length === 0) return;
    worker ??= spawn();
    const job = queue.shift()!;
    current = job;
    job.startedAt = performance.now();
    job.timer = setTimeout(() => {
      if (current !== job) return;
      const stuck = worker;
      worker = null;
      void stuck?.terminate();
      finish({ ok: false, reason: "timeout" });
    }, timeoutMs);
    const request: RenderRequest = { id: job.id, parts: job.parts };
    worker.postMessage(request);
  }

  function finish(result: { ok: true; parts: ElementContent[][] } | { ok: false; reason: RenderFailure }) {
    const job = current!;
    current = null;
    clearTimeout(job.timer);
    job.resolve({ ...result, ms: performance.now() - job.startedAt });
    dispatch();
  }

  return {
    render(parts) {
      if (queue.length >= maxQueue) return Promise.resolve({ ok: false, reason: "busy", ms: 0 });
      return new Promise((resolve) => {
        queue.push({ id: nextId++, parts, resolve, startedAt: 0 });
        dispatch();
      });
    },

    async close() {
      for (const job of queue.splice(0)) job.resolve({ ok: false, reason: "unavailable", ms: 0 });
      const running = worker;
      worker = null;
      if (current) finish({ ok: false, reason: "unavailable" });
      await running?.terminate();
    },
  };
}
