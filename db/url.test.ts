import { describe, expect, it } from "vitest";
import { databaseTarget, databaseUrlProblem, describeDatabase } from "./url";

describe("databaseTarget", () => {
  it("takes file: URLs and bare paths as SQLite files", () => {
    expect(databaseTarget("file:./data/inspector.db")).toEqual({ dialect: "sqlite", file: "./data/inspector.db" });
    expect(databaseTarget("file:/var/lib/inspector/inspector.db")).toEqual({ dialect: "sqlite", file: "/var/lib/inspector/inspector.db" });
    expect(databaseTarget("./data/inspector.db")).toEqual({ dialect: "sqlite", file: "./data/inspector.db" });
    expect(databaseTarget(":memory:")).toEqual({ dialect: "sqlite", file: ":memory:" });
  });

  it("takes postgres:// and postgresql:// URLs (any case) as Postgres, unchanged", () => {
    for (const url of ["postgres://u:p@db:5432/inspector", "postgresql://u:p@db/inspector", "POSTGRES://u:p@db/inspector", "postgres://u@/inspector?host=/var/run/postgresql"]) {
      expect(databaseTarget(url)).toEqual({ dialect: "postgres", url });
    }
  });

  it("never takes a Postgres URL for a file (a folder named postgres: appeared before)", () => {
    expect(databaseTarget("postgres://u:p@db/inspector").dialect).toBe("postgres");
    // A mistyped Postgres URL is refused rather than made a SQLite file named after its password.
    for (const typo of ["postgres:relative", "postgres:/inspector:pw@db:5432/inspector", "postgresql//inspector:pw@db/inspector", "postgress://u:p@db/x"]) {
      expect(databaseUrlProblem(typo), typo).toMatch(/^must be a SQLite file/);
    }
  });
});

describe("databaseUrlProblem", () => {
  it("accepts SQLite files and complete Postgres URLs", () => {
    for (const url of [
      "file:./data/inspector.db",
      "./data/inspector.db",
      "/data/inspector.db",
      "postgres://inspector:pw@db.internal:5432/inspector",
      "postgresql://inspector@db.internal/inspector?sslmode=require",
      "postgres://inspector@/inspector?host=/var/run/postgresql",
      "postgres://inspector:p%40ss%2Fword@db.internal/inspector",
      "file:///data/inspector.db",
    ]) {
      expect(databaseUrlProblem(url), url).toBeNull();
    }
  });

  it.each([
    "mysql://inspector:pw@db.internal/inspector",
    "mariadb://db.internal/inspector",
    "sqlite://data/inspector.db",
    "https://db.internal/inspector",
    "redis://cache:6379",
    "sqlite:data/inspector.db",
  ])("refuses another scheme (%s)", (url) => {
    expect(databaseUrlProblem(url)).toMatch(/^must be a SQLite file \(file:.*\) or a Postgres URL \(postgres:\/\//);
  });

  it("refuses a Postgres URL without a host", () => {
    expect(databaseUrlProblem("postgres:///inspector")).toMatch(/^must name the Postgres host/);
    expect(databaseUrlProblem("postgres://inspector:pw@/inspector")).toMatch(/^must name the Postgres host/);
    expect(databaseUrlProblem("postgresql://:5432/inspector")).not.toBeNull();
  });

  it("refuses a Postgres URL without a database", () => {
    expect(databaseUrlProblem("postgres://inspector:pw@db.internal:5432")).toMatch(/^must name the database/);
    expect(databaseUrlProblem("postgres://inspector:pw@db.internal:5432/")).toMatch(/^must name the database/);
  });

  it("refuses a Postgres URL it cannot parse, and an empty file name", () => {
    expect(databaseUrlProblem("postgres://inspector:pw@db internal/inspector")).toMatch(/^is not a valid postgres:\/\/ URL/);
    expect(databaseUrlProblem("file:")).toBe("must name a file");
    expect(databaseUrlProblem("")).toBe("must name a file");
  });

  it("never quotes the URL, which may carry a password", () => {
    for (const url of [
      "mysql://inspector:hunter2-secret@db.internal/inspector",
      "postgres://inspector:hunter2-secret@db.internal",
      "postgres://inspector:hunter2-secret@db internal/inspector",
      "postgres://inspector:hunter2-secret@/inspector",
    ]) {
      const problem = databaseUrlProblem(url);
      expect(problem, url).not.toBeNull();
      expect(problem).not.toContain("hunter2-secret");
      expect(problem).not.toContain("db.internal");
    }
  });
});

describe("describeDatabase", () => {
  it("shows a SQLite file as its path", () => {
    expect(describeDatabase("file:./data/inspector.db")).toBe("./data/inspector.db");
  });

  it("shows a Postgres database as host, port and name, never the user or the password", () => {
    const shown = describeDatabase("postgres://inspector:hunter2-secret@db.internal:5432/inspector?sslmode=require");
    expect(shown).toBe("postgres://db.internal:5432/inspector");
    expect(describeDatabase("postgresql://admin:s3cr%40t@db.internal/inspector")).toBe("postgres://db.internal/inspector");
    expect(describeDatabase("postgres://admin:s3cr3t@/inspector?host=/var/run/postgresql")).toBe("postgres:///inspector");
  });

  it("never prints the password, even of a URL it cannot parse", () => {
    for (const url of [
      "postgres://inspector:hunter2-secret@db.internal/inspector",
      "postgres://inspector:hunter2-secret@db internal/inspector",
      "postgres://:hunter2-secret@db.internal/inspector",
      "postgresql://inspector:hunter2-secret@[::1]:5432/inspector",
    ]) {
      const shown = describeDatabase(url);
      expect(shown, url).not.toContain("hunter2-secret");
      expect(shown).not.toContain("inspector:");
    }
    expect(describeDatabase("postgres://inspector:hunter2-secret@db internal/inspector")).toBe("postgres://(unparseable URL)");
  });
});
