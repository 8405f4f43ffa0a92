import http from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted upstream answer. A string body is sent as is (to test invalid JSON). */
export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
  /** When the request was received (Date.now()). */
  receivedAt: number;
  /** Set when the caller closed the connection before the reply was sent (an aborted request). */
  closedBeforeReplyAt?: number;
}

const DETAIL_PREFIX = "/api/external/export/interactions/detail-v2/";
const LIST_PATH = "/api/external/get-interactions";

/**
 * A stand-in for Nebuly on 127.0.0.1 that tests script per interaction id. Replies for an id are
 * consumed in order and the last one repeats; unknown ids answer 404 as Nebuly does.
 */
export class FakeNebuly {
  readonly calls: RecordedCall[] = [];
  private readonly scripts = new Map<string, FakeReply[]>();
  private listReplies: FakeReply[] = [];
  private server?: http.Server;
  url = "";

  constructor(private readonly apiKey: string) {}

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Answers `id` with a normal interaction body. */
  serveInteraction(id: string, fields: Record<string, unknown> = {}): void {
    this.script(id, [{ body: { id, ...fields } }]);
  }

  script(id: string, replies: FakeReply[]): void {
    this.scripts.set(id.toLowerCase(), [...replies]);
  }

  scriptList(replies: FakeReply[]): void {
    this.listReplies = [...replies];
  }

  callsFor(id: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === `${DETAIL_PREFIX}${id}`);
  }

  private next(replies: FakeReply[] | undefined): FakeReply | undefined {
    if (!replies || replies.length === 0) return undefined;
    return replies.length > 1 ? replies.shift() : replies[0];
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = (request.url ?? "").split("?")[0];
    const call: RecordedCall = {
      method: request.method ?? "",
      path,
      authorization: request.headers.authorization,
      body: Buffer.concat(chunks).toString("utf8"),
      receivedAt: Date.now(),
    };
    this.calls.push(call);
    response.once("close", () => {
      if (!response.writableFinished) call.closedBeforeReplyAt = Date.now();
    });

    if (request.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(response, { status: 401, body: { detail: "Invalid token" } });
    }
    if (request.method === "GET" && path.startsWith(DETAIL_PREFIX)) {
      const id = decodeURIComponent(path.slice(DETAIL_PREFIX.length));
      const reply = this.next(this.scripts.get(id)) ?? { status: 404, body: { detail: "Interaction not found" } };
      return send(response, reply);
    }
    if (request.method === "POST" && path === LIST_PATH) {
      return send(response, this.next(this.listReplies) ?? { body: { total: 0, offset: 0, limit: 25, data: [] } });
    }
    send(response, { status: 404, body: { detail: "Not found" } });
  }
}

async function send(response: http.ServerResponse, reply: FakeReply) {
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  if (response.destroyed) return;
  const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
  response.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...reply.headers });
  response.end(body);
}
