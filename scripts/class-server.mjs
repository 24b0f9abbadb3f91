// The class relay as a program: `npm run class-server` (HOST, PORT, ROOM_TTL_HOURS; see README.md, "Class relay").
import { startRelay } from './class-relay.mjs';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 1234);
const hours = Number(process.env.ROOM_TTL_HOURS ?? 12);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
if (!(hours > 0)) {
  console.error(`ROOM_TTL_HOURS must be a number of hours above 0, not "${process.env.ROOM_TTL_HOURS}"`);
  process.exit(2);
}

const relay = await startRelay({ host, port, roomTtlMs: hours * 60 * 60 * 1000 });
console.log(`LSM Lab class relay on ws://${host.includes(':') ? `[${host}]` : host}:${relay.port}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    relay.close().then(() => process.exit(0));
  });
}
