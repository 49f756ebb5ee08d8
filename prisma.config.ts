// Prisma CLI configuration. The JS (Wasm) schema engine and a driver adapter keep every
// command offline (the native engines would be downloaded from a host we cannot reach).
// adapter-pg 7.x is used here only: 6.19.3 crashes in `migrate deploy` (prisma/orm#27403).
import path from "node:path";
import type { PrismaConfig } from "prisma";
import { PrismaPg } from "@prisma/adapter-pg-migrate";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is missing: the Prisma CLI needs it (npm run db:migrate sets it for you).");
    return new PrismaPg({ connectionString: url });
  },
} satisfies PrismaConfig;
