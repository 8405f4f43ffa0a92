#!/usr/bin/env node
// `npm run test:mutation`: the Stryker CLI, with every option it takes (`-- --mutate "lib/access/**/*.ts"`).
//
// Why not `stryker run` directly: Stryker 10 refuses to start on Node < 22 (a version check when
// its CLI module loads), while this project runs on Node 20 (see the stack notes). A run of
// 10.1.1 on Node 20.20 was checked to work end to end: instrumenting, the vitest runner in its own
// worker processes (which see the real version) and both reporters. So on Node 20 the check alone
// is answered with 22 while the CLI module loads, and the real version is put back before it runs.
const realVersion = process.version;
const major = Number(realVersion.slice(1).split(".")[0]);
if (major < 22) Object.defineProperty(process, "version", { value: "v22.0.0", configurable: true, enumerable: true });
const { StrykerCli } = await import("@stryker-mutator/core");
Object.defineProperty(process, "version", { value: realVersion, configurable: true, enumerable: true });

process.title = "stryker";
new StrykerCli(["node", "stryker", "run", ...process.argv.slice(2)]).run();
