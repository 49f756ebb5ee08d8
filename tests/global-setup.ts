import { prepareTemplateDatabase } from "../core/src/testing/db.js";

/** Once per `npm test`: a migrated template database that every test file copies. */
export default async function setup(): Promise<void> {
  await prepareTemplateDatabase();
}
