// The floor under any Node.js `report` (bench/report-cold.mjs, `nodeDfFloor`): start Node, ask
// the engine the one endpoint whose figures `report --json` prints and no other endpoint gives
// (GET /system/df: build cache records and volume sizes; on API < 1.42 the engine sizes every
// container for it, as for `docker ps -a -s`), read the answer, exit. No module beyond Node's own.
// Usage: node bench/lib/df-floor.cjs /path/to/docker.sock
const socketPath = process.argv[2];
require('node:http')
	.get({socketPath, path: '/system/df'}, response => {
		if (response.statusCode !== 200) process.exit(1);
		response.resume();
		response.on('end', () => process.exit(0));
	})
	.on('error', () => process.exit(1));
