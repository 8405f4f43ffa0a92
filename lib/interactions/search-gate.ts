/*
 * How many typed searches of the cache run at once. A search is whatever a viewer types, and the
 * costliest ones take the store a second (the Postgres search budget, repository.postgres.ts):
 * without a gate, one viewer sending many at once would hold every pooled connection and the
 * database's cores, and everyone else's pages, sign-ins and readiness probes would wait behind
 * them. So this process runs at most `running` searches at a time, at most one per client, and a
 * search that cannot start within `waitMs` is not run: the page says so and offers to try again.
 * A client's further searches wait (colleagues behind one office address search at once); when the
 * waiting places are full, the client with the most waiting gives one up, not the newcomer.
 */

/** Searches one client may have waiting: a few colleagues behind one address, not a flood. */
const WAITING_PER_CLIENT = 3;

/**
 * The gate's client for an address key (lib/access addressKey): IPv6 by its /56, since many ISPs
 * give one subscriber a /56, 256 /64s that would otherwise be 256 clients here.
 */
export function searchClientKey(addressKey: string): string {
  const v6 = /^([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4})::\/64$/.exec(addressKey);
  if (!v6) return addressKey;
  const fourth = (parseInt(v6[4]!, 16) & 0xff00).toString(16);
  return `${v6[1]}:${v6[2]}:${v6[3]}:${fourth}::/56`;
}

export interface SearchGateOptions {
  /** Searches that run at once on this process. */
  running: number;
  /** How long a search waits for its turn before it is turned away. */
  waitMs: number;
  /** Searches waiting at once, all clients together; past it a new one is turned away at once. */
  waiting: number;
}

export type Gated<T> = { ran: true; value: T } | { ran: false };

export interface SearchGate {
  /** Runs `search` for `client` (its address key) when its turn comes; `{ ran: false }` when it is turned away. */
  run<T>(client: string, search: () => Promise<T>): Promise<Gated<T>>;
}

interface Waiter {
  client: string;
  start: () => void;
  /** Gives up the place: the search is turned away. */
  drop: () => void;
}

export function createSearchGate(options: SearchGateOptions): SearchGate {
  let active = 0;
  const queue: Waiter[] = [];
  /** Searches each client has running or waiting: entries leave when they reach 0 (the map stays small). */
  const perClient = new Map<string, number>();

  const runningFor = (client: string) => perClient.get(client) ?? 0;
  const leave = (client: string) => {
    const left = runningFor(client) - 1;
    if (left > 0) perClient.set(client, left);
    else perClient.delete(client);
  };

  /** Clients with a search running now (one each at most). */
  const runningClients = new Set<string>();
  /** Takes a running place, at once (not a tick later, when another search could take it too). */
  const admit = (client: string) => {
    active++;
    runningClients.add(client);
  };
  /**
   * With every waiting place taken: the client with the most waiting searches (more than `client`
   * would have) gives up its newest one. False when nobody has more than `client`.
   */
  const makeRoomFor = (client: string): boolean => {
    const waiting = new Map<string, number>();
    for (const waiter of queue) waiting.set(waiter.client, (waiting.get(waiter.client) ?? 0) + 1);
    let busiest: string | undefined;
    for (const [candidate, count] of waiting) if (busiest === undefined || count > waiting.get(busiest)!) busiest = candidate;
    if (busiest === undefined || waiting.get(busiest)! <= (waiting.get(client) ?? 0) + 1) return false;
    const index = queue.findLastIndex((waiter) => waiter.client === busiest);
    const [dropped] = queue.splice(index, 1);
    dropped!.drop();
    return true;
  };

  /** Starts the first waiter whose client has nothing running, while there is room. */
  const startNext = () => {
    while (active < options.running) {
      const index = queue.findIndex((waiter) => !runningClients.has(waiter.client));
      if (index === -1) return;
      const [waiter] = queue.splice(index, 1);
      admit(waiter!.client);
      waiter!.start();
    }
  };

  return {
    async run<T>(client: string, search: () => Promise<T>): Promise<Gated<T>> {
      // One running and a few waiting per client: colleagues' searches wait, a flood is turned away.
      if (runningFor(client) >= 1 + WAITING_PER_CLIENT) return { ran: false };
      if (queue.length >= options.waiting && !makeRoomFor(client)) return { ran: false };
      perClient.set(client, runningFor(client) + 1);
      if (active < options.running && !runningClients.has(client)) admit(client);
      else {
        const started = await new Promise<boolean>((resolve) => {
          const waiter: Waiter = {
            client,
            start: () => {
              clearTimeout(timer);
              resolve(true);
            },
            drop: () => {
              clearTimeout(timer);
              resolve(false);
            },
          };
          const timer = setTimeout(() => {
            queue.splice(queue.indexOf(waiter), 1);
            resolve(false);
          }, options.waitMs);
          queue.push(waiter);
        });
        if (!started) {
          leave(client);
          return { ran: false };
        }
      }
      try {
        return { ran: true, value: await search() };
      } finally {
        active--;
        runningClients.delete(client);
        leave(client);
        startNext();
      }
    },
  };
}
