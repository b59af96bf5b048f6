import {type ClientRequest, request} from 'node:http';

/**
 * /version and /info of a Docker engine on a unix socket, asked for before the command's
 * modules load (issue 18): the engine answers them while this process loads. dockerd
 * 20.10 runs `runc --version` and `docker-init --version` for each of them, so they are
 * its slowest answers to `report` on a small node. Each promise gives the parsed body of a
 * 200 answer, or null for anything else (an error, another status, a timeout): the reader
 * then asks again through its client, which gives its usual errors.
 */
export interface PrefetchedRuntime {
	socketPath: string;
	version: Promise<unknown>;
	info: Promise<unknown>;
	/** Drops what has not been answered (the command ended without it): nothing left to keep the process alive. */
	close(): void;
}

function get(socketPath: string, path: string, timeoutMs: number, open: Set<ClientRequest>, onSent?: () => void): Promise<unknown> {
	return new Promise(resolve => {
		// No server name: on a unix socket it means nothing, and computing one costs net.isIP's
		// pattern compile (see unix-agent.ts).
		const options = {socketPath, path, method: 'GET', headers: {Host: 'localhost'}, agent: false, servername: ''};
		const req = request(options, res => {
			if (res.statusCode !== 200) {
				res.resume();
				resolve(null);
				return;
			}
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				try {
					resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
				} catch {
					resolve(null);
				}
			});
			res.on('error', () => resolve(null));
		});
		open.add(req);
		if (onSent) {
			req.on('finish', onSent);
			req.on('close', onSent);
		}
		req.on('close', () => open.delete(req));
		req.setTimeout(timeoutMs, () => req.destroy());
		req.on('error', () => resolve(null));
		req.end();
	});
}

export function prefetchRuntime(socketPath: string, timeoutMs: number): PrefetchedRuntime {
	const open = new Set<ClientRequest>();
	return {
		socketPath,
		version: get(socketPath, '/version', timeoutMs, open),
		info: get(socketPath, '/info', timeoutMs, open),
		close: () => {
			for (const req of open) req.destroy();
		},
	};
}

/** One image's inspect (GET /images/{name}/json), asked for as prefetchRuntime asks: null for anything but a 200 answer. */
export interface PrefetchedImage {
	socketPath: string;
	name: string;
	inspect: Promise<unknown>;
	/** GET /containers/json?all=1 and GET /images/json, asked for at the same time: the engine answers them while this process loads, not while the finds need the cores. */
	containers: Promise<unknown>;
	images: Promise<unknown>;
	/**
	 * Settles once the request is written to the socket (or has failed), or after
	 * SENT_WAIT_MS whatever happened: Node connects and writes on a later tick, and a caller
	 * that goes on with synchronous work (loading the bundle) awaits this first, so that the
	 * engine works on the answer meanwhile; an engine that does not take the connection does
	 * not hold the command for longer than that (its own call then times out as before).
	 */
	sent: Promise<void>;
	close(): void;
}

/** How long PrefetchedImage.sent waits at most (a request on a unix socket is written within a few ms). */
const SENT_WAIT_MS = 100;

/** A name that goes into the request path as it is (what `docker images` prints, or an id): anything else is left to the command. */
const plainImageName = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;

export function prefetchImage(socketPath: string, name: string, timeoutMs: number): PrefetchedImage | undefined {
	if (!plainImageName.test(name) || name.includes('..')) return undefined;
	const open = new Set<ClientRequest>();
	let onSent = () => {};
	const sent = new Promise<void>(resolve => {
		const bound = setTimeout(resolve, SENT_WAIT_MS);
		bound.unref();
		onSent = () => {
			clearTimeout(bound);
			resolve();
		};
	});
	return {
		socketPath,
		name,
		inspect: get(socketPath, `/images/${name}/json`, timeoutMs, open, onSent),
		containers: get(socketPath, '/containers/json?all=1', timeoutMs, open),
		images: get(socketPath, '/images/json', timeoutMs, open),
		sent,
		close: () => {
			for (const req of open) req.destroy();
		},
	};
}
