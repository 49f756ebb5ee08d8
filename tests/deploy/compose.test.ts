// No Docker engine runs in CI, so these tests read docker-compose.yml and the Dockerfile as data
// and check the structure that self-hosting relies on.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(root("docker-compose.yml"), "utf8"), { merge: true }) as Compose;
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

describe("docker-compose.yml", () => {
  it("has postgres 17 with a pg_isready healthcheck and a named volume for its data", () => {
    const pg = service("postgres");
    expect(pg.image).toBe("postgres:17");
    expect(pg.healthcheck?.test.join(" ")).toMatch(/pg_isready -U chairside -d chairside/);
    const [volume, target] = (pg.volumes?.[0] ?? "").split(":");
    expect(target).toBe("/var/lib/postgresql/data");
    expect(compose.volumes).toHaveProperty(volume ?? "");
  });

  it("runs the migration once postgres is healthy, with the built migrate CLI", () => {
    const migrate = service("migrate");
    expect(migrate.command).toEqual(["node", "bots/dist/cli/migrate.js"]);
    expect(existsSync(root("bots/src/cli/migrate.ts"))).toBe(true);
    expect(migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    expect(migrate.restart).toBe("no");
    expect(migrate.environment?.DATABASE_URL).toMatch(/^postgresql:\/\/chairside:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/chairside$/);
  });

  it("starts the app only after postgres is healthy and the migration completed, and health-checks it", () => {
    const app = service("app");
    expect(app.depends_on).toEqual({
      postgres: { condition: "service_healthy" },
      migrate: { condition: "service_completed_successfully" },
    });
    expect(app.healthcheck?.test.join(" ")).toContain("http://127.0.0.1:3000/health");
    expect(app.ports).toEqual(["${CHAIRSIDE_PORT:-3000}:3000"]);
    expect(app.image).toBe(service("migrate").image);
    expect(app.build).toBeDefined();
  });

  it("passes the database and every Telegram variable to the app from .env, with no default password", () => {
    const env = service("app").environment ?? {};
    expect(env.DATABASE_URL).toBe(service("migrate").environment?.DATABASE_URL);
    for (const name of ["PUBLIC_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_API_ROOT", "TELEGRAM_WEBHOOK_SECRET", "LOG_LEVEL", "DEMO_DATA"]) {
      expect(env[name], name).toMatch(new RegExp(`^\\$\\{${name}(:-[^}]*)?\\}$`));
    }
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.PORT).toBe("3000");
    expect(service("postgres").environment).toMatchObject({ POSTGRES_PASSWORD: expect.stringMatching(/^\$\{POSTGRES_PASSWORD:\?/) });
  });
});

interface Stage {
  from: string;
  name: string | undefined;
  lines: string[];
}

function stagesOf(dockerfile: string): Stage[] {
  const stages: Stage[] = [];
  const lines = dockerfile.replace(/\\\n/g, " ").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ from: from[1] ?? "", name: from[2], lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

describe("Dockerfile", () => {
  const stages = stagesOf(readFileSync(root("Dockerfile"), "utf8"));
  const final = stages.at(-1) as Stage;
  const instructions = (stage: Stage, keyword: string) => stage.lines.filter((l) => l.toUpperCase().startsWith(`${keyword} `));

  it("installs with npm ci, builds with npm run build, and ends in a node:20-bookworm-slim runtime stage", () => {
    expect(stages.map((s) => s.name)).toEqual(["deps", "build", "prod-deps", "runtime"]);
    expect(instructions(stages[0] as Stage, "RUN").join("\n")).toMatch(/npm ci/);
    expect(instructions(stages[1] as Stage, "RUN").join("\n")).toMatch(/npm run build/);
    expect(instructions(stages[2] as Stage, "RUN").join("\n")).toMatch(/npm ci --omit=dev/);
    expect(final.from).toBe("node:20-bookworm-slim");
  });

  it("copies only built output and production packages into the runtime stage", () => {
    const copies = instructions(final, "COPY");
    expect(copies.every((c) => c.includes("--from="))).toBe(true);
    expect(copies.join("\n")).toMatch(/bots\/dist/);
    expect(copies.join("\n")).toMatch(/admin\/build/);
    expect(copies.join("\n")).toMatch(/prisma\//);
  });

  it("runs as a non-root user, exposes 3000, health-checks /health and starts bots/dist/main.js", () => {
    const users = instructions(final, "USER");
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^USER\s+(root|0)(:|$)/i);
    expect(instructions(final, "EXPOSE")).toEqual(["EXPOSE 3000"]);
    expect(instructions(final, "HEALTHCHECK").join(" ")).toContain("/health");
    expect(instructions(final, "CMD")).toEqual(['CMD ["node", "bots/dist/main.js"]']);
  });

  it("keeps secrets and local state out of the build context", () => {
    const ignored = readFileSync(root(".dockerignore"), "utf8").split("\n");
    for (const entry of [".env", ".data", "**/node_modules", ".git"]) expect(ignored).toContain(entry);
  });
});
