// The configuration is documented in three places besides its schema: .env.example, the README
// table and docker-compose.yml. These checks keep them from drifting apart.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES, parseConfig } from "../../bots/src/config.js";

const read = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), "utf8");

describe("configuration documents", () => {
  it(".env.example lists every variable with a comment above it, and parses as it is", () => {
    const text = read(".env.example");
    const lines = text.split("\n");
    for (const name of ENV_VARIABLES) {
      const index = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(index, `${name} in .env.example`).toBeGreaterThan(0);
      expect(lines[index - 1]?.startsWith("#") || lines[index - 2]?.startsWith("#"), `comment above ${name}`).toBe(true);
    }
    // A copied .env.example is a valid configuration: the embedded database, no bot.
    const config = parseConfig(parseEnv(text), "/srv/chairside");
    expect(config.database).toEqual({ kind: "embedded", dataDir: "/srv/chairside/.data" });
    expect(config.telegram).toBeNull();
  });

  it("the README's configuration table has a row for every variable", () => {
    const readme = read("README.md");
    for (const name of ENV_VARIABLES) expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` \\|`, "m"));
  });

  it("the README's test command is the one .ci/run runs", () => {
    expect(read("README.md")).toContain("npm test");
    expect(read(".ci/run")).toMatch(/^npm test$/m);
  });
});
