/**
 * Delivery inside one process. On SQLite (one instance by design) published events go straight to the
 * hubs of the same process through this bus; on PostgreSQL they travel by NOTIFY instead (pg-listener.ts),
 * to this instance and every other one alike. One bus per database client, so tests with several
 * databases in one process stay apart.
 */
import { EventEmitter } from "node:events";
import type { Db } from "../db/client";
import type { LiveEvent } from "./live-event";

const buses = new WeakMap<Db, EventEmitter>();

export function localBusFor(db: Db): EventEmitter<{ event: [LiveEvent] }> {
  let bus = buses.get(db);
  if (!bus) {
    bus = new EventEmitter();
    bus.setMaxListeners(0); // one listener per hub, and a process may run a few (tests)
    buses.set(db, bus);
  }
  return bus as EventEmitter<{ event: [LiveEvent] }>;
}
