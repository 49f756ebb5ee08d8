import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/db.js";
import { createPrismaClient, disconnectWithin } from "./client.js";

describe("disconnectWithin", () => {
  it("resolves true once a real client's connections are closed", async () => {
    const db = await createTestDatabase();
    try {
      const prisma = createPrismaClient(db.url);
      await prisma.$queryRaw`SELECT 1`;
      expect(await disconnectWithin(prisma, 5_000)).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it("resolves false after the timeout when $disconnect never settles, and passes a rejection on", async () => {
    expect(await disconnectWithin({ $disconnect: () => new Promise<void>(() => {}) }, 50)).toBe(false);
    await expect(disconnectWithin({ $disconnect: () => Promise.reject(new Error("socket gone")) }, 1_000)).rejects.toThrow("socket gone");
  });
});
