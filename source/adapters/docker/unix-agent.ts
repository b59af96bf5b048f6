import {Agent} from 'node:http';

let shared: Agent | undefined;

/**
 * The HTTP agent of every engine handle on a unix socket. It has the options of Node's global agent (keep-alive,
 * LIFO) with `servername: ''`: a server name means nothing on a unix socket, and without one
 * Node computes it per request through `net.isIP`, whose first call compiles the IPv6 pattern
 * (10-36 ms in `report`'s profiles here), a cost `report` paid on every start.
 */
export function unixSocketAgent(): Agent {
	shared ??= new Agent({keepAlive: true, scheduling: 'lifo', timeout: 5000, noDelay: true, servername: ''} as ConstructorParameters<typeof Agent>[0]);
	return shared;
}
