// `node serve.mjs PORT`: PostGraphile on 127.0.0.1:PORT, /graphql only, until SIGTERM.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import preset from "./graphile.config.mjs";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node serve.mjs PORT");
  process.exit(2);
}
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  pgl.release().finally(() => process.exit(0));
});
