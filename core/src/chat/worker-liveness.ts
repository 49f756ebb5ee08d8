import { randomInt } from "node:crypto";
import pg from "pg";

/** First key of the liveness advisory locks (pg_advisory_lock(int4, int4)): "CHAI". */
export const LIVENESS_LOCK_NAMESPACE = 1_128_808_777;

/**
 * Proof that a worker process is alive, visible to every other process: a session-level advisory
 * lock (LIVENESS_LOCK_NAMESPACE, key) held on a dedicated connection for as long as the process
 * runs. When the process dies (even by SIGKILL) PostgreSQL closes the session and drops the lock,
 * so chat leases stamped with `key` become free at once instead of after their expiry
 * (ChatLeaseStore.claim checks pg_locks). If the connection is lost while the process lives,
 * `key` reads 0 from then on: leases fall back to expiry alone, which is always safe.
 */
export class WorkerLiveness {
  private alive = true;

  private constructor(
    private readonly client: pg.Client,
    private readonly lockKey: number,
  ) {
    const lost = () => {
      this.alive = false;
    };
    client.on("error", lost);
    client.on("end", lost);
  }

  /** Opens the connection and takes a fresh random key. Throws when the database cannot be reached. */
  static async acquire(databaseUrl: string): Promise<WorkerLiveness> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "chairside-worker-liveness" });
    await client.connect();
    try {
      for (let i = 0; i < 20; i++) {
        const key = randomInt(1, 2 ** 31 - 1);
        const result = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::int, $2::int) AS ok", [LIVENESS_LOCK_NAMESPACE, key]);
        if (result.rows[0]?.ok) return new WorkerLiveness(client, key);
      }
      throw new Error("Could not take a worker liveness key (20 random keys were taken)");
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  /** This process's key while its lock is held, else 0. */
  get key(): number {
    return this.alive ? this.lockKey : 0;
  }

  /** Gives the lock up and closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    await this.client.query("SELECT pg_advisory_unlock($1::int, $2::int)", [LIVENESS_LOCK_NAMESPACE, this.lockKey]).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
