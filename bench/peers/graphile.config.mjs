// PostGraphile 5 with the Amber preset over the `peer` schema of the bench database (see peer.sql).
// The connection comes from libpq's variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGOPTIONS), which
// bench/peers_run.py sets; node-postgres reads them itself.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ schemas: ["peer"], pubsub: false })],
  grafserv: { graphiql: false, watch: false, maxRequestLength: 100_000 },
  grafast: { explain: false },
};

export default preset;
