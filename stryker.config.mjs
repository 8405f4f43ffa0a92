// Mutation testing (`npm run test:mutation`): changes the code under test one small edit at a time
// and checks that some unit test fails for each edit. A surviving mutant is a behaviour no test
// pins down. Scoped to the modules where a silent change hurts most: access, sharing, the
// interaction service and the safe renderer. Not part of `npm test` (it takes minutes, not seconds).
// Narrower: `npm run test:mutation -- --mutate "lib/access/**/*.ts,!**/*.test.ts"` (the option replaces the list below).
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "lib/access/**/*.ts",
    "lib/sharing/**/*.ts",
    "lib/interactions/**/*.ts",
    "lib/render/**/*.ts",
    "!**/*.test.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  reporters: ["clear-text", "html", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};

export default config;
