import { describe, expect, it } from "vitest";
import { AppError, errorStatus } from "@/lib/errors";
import { FAN_OUT_CONCURRENCY, firstFound } from "./fan-out";

interface Project {
  slug: string;
  name: string;
}

const projects = (count: number): Project[] => Array.from({ length: count }, (_, index) => ({ slug: `p${index}`, name: `Project ${index}` }));

/** A call per project that the test answers by hand, recording what the fan-out did. */
function manualCalls() {
  const calls = new Map<string, { signal: AbortSignal; resolve: (value: string) => void; reject: (error: unknown) => void }>();
  let inFlight = 0;
  let maxInFlight = 0;
  const call = (project: Project, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = () => inFlight--;
      calls.set(project.slug, {
        signal,
        resolve: (value) => (done(), resolve(value)),
        reject: (error) => (done(), reject(error)),
      });
    });
  return { calls, call, started: () => [...calls.keys()], maxInFlight: () => maxInFlight };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const notFound = (project: Project) => new AppError("not_found", `Interaction x was not found in Nebuly (${project.slug}).`);

describe("firstFound", () => {
  it("answers with the first project that has it and aborts every other call still running", async () => {
    const all = projects(3);
    const { calls, call } = manualCalls();
    const found = firstFound(all, call);
    calls.get("p1")!.resolve("from p1");
    await expect(found).resolves.toEqual({ project: all[1], value: "from p1" });
    expect(calls.get("p0")!.signal.aborted).toBe(true);
    expect(calls.get("p2")!.signal.aborted).toBe(true);
    expect(calls.get("p1")!.signal.aborted).toBe(false);
    // Late answers from the aborted calls change nothing.
    calls.get("p0")!.resolve("late");
    calls.get("p2")!.reject(new AppError("upstream_cancelled", "cancelled"));
    await settle();
  });

  it("does not start the projects still waiting for a place once one has answered", async () => {
    const all = projects(20);
    const { calls, call, started } = manualCalls();
    const found = firstFound(all, call);
    expect(started()).toHaveLength(FAN_OUT_CONCURRENCY);
    calls.get("p3")!.resolve("hit");
    await expect(found).resolves.toMatchObject({ project: { slug: "p3" } });
    await settle();
    expect(started()).toEqual(["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"]);
  });

  it("asks at most 8 projects at once, and every one of 20 before saying not found", async () => {
    const all = projects(20);
    const { calls, call, started, maxInFlight } = manualCalls();
    const found = firstFound(all, call);
    found.catch(() => undefined);
    for (const project of all) {
      await settle();
      expect(calls.has(project.slug)).toBe(true);
      calls.get(project.slug)!.reject(notFound(project));
    }
    await expect(found).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("not found in any of the 20 projects") });
    expect(started()).toHaveLength(20);
    expect(maxInFlight()).toBe(FAN_OUT_CONCURRENCY);
  });

  it("says not found only when every project says so", async () => {
    const all = projects(3);
    const { calls, call } = manualCalls();
    const found = firstFound(all, call);
    found.catch(() => undefined);
    calls.get("p0")!.reject(notFound(all[0]!));
    calls.get("p2")!.reject(notFound(all[2]!));
    await settle();
    let settledYet = false;
    found.then(
      () => (settledYet = true),
      () => (settledYet = true),
    );
    await settle();
    expect(settledYet).toBe(false);
    calls.get("p1")!.reject(notFound(all[1]!));
    await expect(found).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("with one project, passes its own not-found error on unchanged", async () => {
    const only = projects(1);
    const own = notFound(only[0]!);
    await expect(firstFound(only, () => Promise.reject(own))).rejects.toBe(own);
  });

  it("with one project, passes its own failure on unchanged", async () => {
    const only = projects(1);
    const own = new AppError("upstream_timeout", "Nebuly did not answer within 10000 ms.");
    await expect(firstFound(only, () => Promise.reject(own))).rejects.toBe(own);
  });

  it("answers a timeout, not a 404, when the others do not have it and one timed out, naming that project", async () => {
    const all = [
      { slug: "support", name: "Support bot" },
      { slug: "sales", name: "Sales assistant" },
      { slug: "hr", name: "HR helper" },
    ];
    const error = await firstFound(all, (project) =>
      Promise.reject(project.slug === "sales" ? new AppError("upstream_timeout", "Nebuly did not answer in time.") : notFound(project)),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "upstream_timeout", status: errorStatus.upstream_timeout });
    expect((error as AppError).status).toBe(504);
    expect((error as AppError).message).toContain("Nebuly did not answer in time.");
    expect((error as AppError).message).toContain('"Sales assistant"');
    expect((error as AppError).message).toContain("2 others do not have it");
  });

  it("answers an auth failure when the others do not have it and one key was refused", async () => {
    const all = projects(2);
    await expect(
      firstFound(all, (project) => Promise.reject(project.slug === "p0" ? notFound(project) : new AppError("upstream_auth_failed", "Nebuly refused the API key (HTTP 401)."))),
    ).rejects.toMatchObject({ code: "upstream_auth_failed", status: 502, message: expect.stringContaining('"Project 1"') });
  });

  it("still answers with a project that has it when another failed", async () => {
    const all = projects(3);
    const { calls, call } = manualCalls();
    const found = firstFound(all, call);
    calls.get("p0")!.reject(new AppError("upstream_timeout", "slow"));
    calls.get("p1")!.reject(notFound(all[1]!));
    await settle();
    calls.get("p2")!.resolve("here");
    await expect(found).resolves.toEqual({ project: all[2], value: "here" });
  });

  it("keeps the retry hint of a rate-limited project", async () => {
    const all = projects(2);
    await expect(
      firstFound(all, (project) => Promise.reject(project.slug === "p0" ? notFound(project) : new AppError("upstream_rate_limited", "Too many requests.", { retryAfterSeconds: 30 }))),
    ).rejects.toMatchObject({ code: "upstream_rate_limited", retryAfterSeconds: 30 });
  });

  it("counts a call that throws before returning a promise as that project's failure, and asks the others", async () => {
    // A project whose client is gone (lib/interactions/service.ts throws synchronously for it).
    const all = projects(2);
    const found = firstFound(all, (project) => {
      if (project.slug === "p0") throw new AppError("not_found", "Project p0 is not configured.");
      return Promise.resolve("from p1");
    });
    await expect(found).resolves.toEqual({ project: all[1], value: "from p1" });
  });

  it("counts a synchronous throw in a later batch too, and still settles", async () => {
    const all = projects(FAN_OUT_CONCURRENCY + 1);
    const found = firstFound(all, (project) => {
      if (project.slug === `p${FAN_OUT_CONCURRENCY}`) throw new AppError("not_found", "gone");
      return Promise.reject(notFound(project));
    });
    await expect(Promise.race([found, new Promise((_, reject) => setTimeout(() => reject(new Error("never settled")), 200))])).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("answers not found for no project at all", async () => {
    await expect(firstFound([], () => Promise.resolve("x"), { what: "Interaction x" })).rejects.toMatchObject({ code: "not_found", message: "Interaction x was not found." });
  });
});
