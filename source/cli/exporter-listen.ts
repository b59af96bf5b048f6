export const defaultListen = '127.0.0.1:9721';

/** A usage error: one line and its hint (cli/fail.ts prints both, exit 2). */
export function usage(message: string, hint: string): Error {
	return Object.assign(new Error(message), {hint});
}

/** "127.0.0.1:9721", "[::1]:9721", "0.0.0.0:9721" or ":9721" (every interface: asked for explicitly). */
export function parseListen(text: string): {host: string; port: number} {
	const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
	const port = match ? Number(match[3]) : NaN;
	if (!match || !(port >= 0 && port <= 65535)) throw usage(`--listen ${JSON.stringify(text)}: not HOST:PORT`, `e.g. --listen ${defaultListen}, or --listen 0.0.0.0:9721 to serve every interface`);
	const host = match[1] ?? match[2] ?? '';
	return {host: host === '' ? '::' : host, port};
}
