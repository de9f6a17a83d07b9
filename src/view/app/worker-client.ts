/** The page's handle on one heap worker: each request answered in turn, as a promise. */
import type { FromWorker, HeapMessage, ReadyMessage, StartMessage } from "./messages.js";

export class HeapWorkerClient {
  readonly allocator: string;
  private readonly worker: Worker;
  private pending: { resolve(message: FromWorker): void; reject(error: Error): void } | null = null;

  /** `scriptUrl` is the app's own source as a blob: URL, which runs as a heap worker when it has no document. */
  constructor(allocator: string, scriptUrl: string) {
    this.allocator = allocator;
    this.worker = new Worker(scriptUrl);
    this.worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      const pending = this.pending;
      this.pending = null;
      if (data.type === "error") pending?.reject(new Error(`${allocator}: ${data.message}`));
      else pending?.resolve(data);
    };
    this.worker.onerror = (event) => {
      const pending = this.pending;
      this.pending = null;
      pending?.reject(new Error(`${allocator}: ${event.message}`));
    };
  }

  start(message: StartMessage): Promise<ReadyMessage> {
    return this.request(message) as Promise<ReadyMessage>;
  }

  seek(event: number, span: number): Promise<HeapMessage> {
    return this.request({ type: "seek", event, span }) as Promise<HeapMessage>;
  }

  private request(message: object): Promise<FromWorker> {
    if (this.pending !== null) return Promise.reject(new Error("one request at a time"));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message);
    });
  }
}
