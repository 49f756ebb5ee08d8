/**
 * The HTTP side of the server, built in two steps so that routes added in between (the channels'
 * webhooks) come before the catch-alls:
 *
 *   const app = createHttpApp({ checkDatabase, log });   // GET /health
 *   ...channels register POST /webhooks/<channel>/<salon> on `app`...
 *   mountFallbacks(app, { admin: await loadAdminHandler(), log });   // admin, JSON 404, errors
 *
 * No body parser is installed globally: a webhook verifies its signature on the raw body first,
 * so each route parses its own body.
 */
import { existsSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { httpStatusFor, isDomainError, withTimeout } from "@chairside/core";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import type { Logger } from "./log.js";

/** Options of `createHttpApp`. */
export interface HttpAppOptions {
  /** Resolves when the database answers a trivial query (SELECT 1); rejects or hangs otherwise. */
  checkDatabase: () => Promise<unknown>;
  log: Logger;
  /** How long /health waits for the database before answering 503. Default 3000 ms. */
  healthTimeoutMs?: number;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Creates the Express app with `GET /health`: 200 `{status:"ok", database:"ok"}` when the database
 * answers, 503 `{status:"error", database:"unreachable"}` when it does not (or not in time).
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const timeoutMs = options.healthTimeoutMs ?? 3000;
  app.get("/health", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    try {
      await withTimeout(options.checkDatabase(), timeoutMs);
      res.json({ status: "ok", database: "ok" });
    } catch (e) {
      options.log.warn("Health check failed: the database did not answer", { error: e });
      res.status(503).json({ status: "error", database: "unreachable" });
    }
  });
  return app;
}

/** Where `npm run build -w admin` puts the SvelteKit (adapter-node) handler. */
export const DEFAULT_ADMIN_HANDLER = fileURLToPath(new URL("../../admin/build/handler.js", import.meta.url));

/**
 * Imports the SvelteKit admin's request handler (adapter-node's `handler`, Express-compatible
 * middleware) from `file`. Returns null when the admin has not been built. Throws when the file
 * exists but does not export a handler.
 */
export async function loadAdminHandler(file: string = DEFAULT_ADMIN_HANDLER): Promise<RequestHandler | null> {
  if (!existsSync(file)) return null;
  // adapter-node reads this when the handler is imported; mountFallbacks sets the header from
  // Express's req.protocol, so SvelteKit sees http vs https right (CSRF origin check, Secure cookies).
  // ORIGIN, when set, takes precedence. https://svelte.dev/docs/kit/adapter-node#Environment-variables
  process.env.PROTOCOL_HEADER ??= "x-forwarded-proto";
  // adapter-node refuses bodies over 512 KB by default; a product import (.xlsx up to 10 MB in core) needs more.
  process.env.BODY_SIZE_LIMIT ??= "11M";
  const module = (await import(pathToFileURL(file).href)) as { handler?: unknown };
  if (typeof module.handler !== "function") throw new Error(`${file} does not export a request handler: rebuild the admin with npm run build.`);
  return module.handler as RequestHandler;
}

/**
 * What the admin's server code may use, handed over per request as `req.chairside` (SvelteKit's
 * adapter-node passes the Node request as `event.platform.req`).
 */
export interface AdminContext {
  core: unknown;
  /** The server's ChannelConnectionsService (Settings → Channels reads and writes the salons' connections with it). */
  connections?: unknown;
  /**
   * Which salon's channels the environment configures (TELEGRAM_BOT_TOKEN, WHATSAPP_*,
   * VIBER_AUTH_TOKEN), and which: those are rewritten from the environment at every start.
   */
  environmentChannels?: { tenantId: string | null; channels: readonly string[] };
  /** PUBLIC_URL without a trailing slash, or null (webhook URLs then use the request's origin). */
  publicUrl?: string | null;
  /**
   * This server's channels (ChannelPlatform): `apply` applies changed connections now (a
   * reconcile; other instances follow within their own loop), `status` says what runs for a salon.
   */
  channelRuntime?: {
    apply(): Promise<void>;
    status(tenantId: string): { channel: string; running: boolean; text: string }[];
  };
}

/** A request that carries the admin context. */
export type RequestWithAdminContext = IncomingMessage & { chairside?: AdminContext };

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chairside</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Chairside is running</h1>
<p>The admin has not been built yet. Run <code>npm run build</code> (or just <code>npm start</code>) and restart.</p>
<p>Health: <a href="/health">/health</a></p>
</body></html>`;

function notFound(method: string, path: string): ErrorBody {
  return { error: { code: "not_found", message: `No route for ${method} ${path}` } };
}

/** Maps errors to JSON: domain errors through `httpStatusFor`, client errors as-is, the rest masked and logged. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (isDomainError(err)) {
      const body: ErrorBody = { error: { code: err.code, message: err.message } };
      if (err.details !== undefined) body.error.details = err.details;
      res.status(httpStatusFor(err.code)).json(body);
      return;
    }
    const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const expose = (err as { expose?: unknown }).expose === true;
      res.status(status).json({ error: { code: "bad_request", message: expose ? (err as Error).message : "Bad request" } } satisfies ErrorBody);
      return;
    }
    log.error("Unhandled error while serving a request", { method: req.method, path: req.path, error: err });
    res.status(500).json({ error: { code: "internal", message: "Something went wrong on our side; it has been logged." } } satisfies ErrorBody);
  };
}

/**
 * Adds, after every route registered so far: JSON 404 for /webhooks and /api, the admin (or, when
 * it is not built, a page at / that says how to build it), a JSON 404 for everything else, and the
 * error handler. Call it once, after the channels have added their routes.
 */
export function mountFallbacks(app: Express, options: { admin: RequestHandler | null; adminContext?: AdminContext; log: Logger }): void {
  app.use(["/webhooks", "/api", "/health"], (req, res) => {
    res.status(404).json(notFound(req.method, req.originalUrl.split("?")[0] ?? ""));
  });
  if (options.admin) {
    app.use((req, _res, next) => {
      req.headers["x-forwarded-proto"] = req.protocol; // a client's own header is replaced (trust proxy: loopback only)
      next();
    });
    const context = options.adminContext;
    if (context) {
      app.use((req, _res, next) => {
        (req as RequestWithAdminContext).chairside = context;
        next();
      });
    }
    app.use(options.admin);
  } else {
    app.get("/", (_req, res) => {
      res.type("html").send(NOT_BUILT_PAGE);
    });
  }
  app.use((req, res) => {
    res.status(404).json(notFound(req.method, req.path));
  });
  app.use(errorHandler(options.log));
}
