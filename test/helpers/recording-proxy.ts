import {connect as http2Connect, createServer as createHttp2Server, constants, type IncomingHttpHeaders, type ServerHttp2Stream} from 'node:http2';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {rmSync} from 'node:fs';

const requestLine = /(?:^|\r\n)(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE) (\S+) HTTP\/1\.[01]\r\n/g;

export interface DockerProxy {
	socket: string;
	/** Every HTTP request line that went to the engine, e.g. "GET /v1.41/containers/json". */
	requests: string[];
	close(): Promise<void>;
}

/** A unix-socket forwarder in front of dockerd that logs each HTTP request line it passes on. */
export async function dockerRecordingProxy(upstream: string, socket: string): Promise<DockerProxy> {
	const requests: string[] = [];
	const sockets = new Set<Socket>();
	rmSync(socket, {force: true});
	const server: Server = createServer(client => {
		const engine = connect(upstream);
		sockets.add(client).add(engine);
		let tail = '';
		client.on('data', chunk => {
			const text = tail + chunk.toString('latin1');
			for (const match of text.matchAll(requestLine)) requests.push(`${match[1]} ${match[2]}`);
			tail = text.slice(-64);
		});
		client.pipe(engine).pipe(client);
		const end = () => {
			client.destroy();
			engine.destroy();
		};
		client.on('error', end).on('close', end);
		engine.on('error', end).on('close', end);
	});
	await new Promise<void>(resolve => server.listen(socket, resolve));
	return {
		socket,
		requests,
		close: () =>
			new Promise(resolve => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}

export interface GrpcProxy {
	socket: string;
	/** gRPC method paths, e.g. "/runtime.v1.RuntimeService/ListContainers". */
	methods: string[];
	close(): Promise<void>;
}

/** An h2c forwarder in front of a CRI socket that logs each gRPC method called. */
export async function grpcRecordingProxy(upstream: string, socket: string): Promise<GrpcProxy> {
	const methods: string[] = [];
	const session = http2Connect('http://localhost', {createConnection: () => connect(upstream)});
	session.on('error', () => {});
	rmSync(socket, {force: true});
	const server = createHttp2Server();
	server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
		methods.push(String(headers[constants.HTTP2_HEADER_PATH]));
		const forward: Record<string, string | string[]> = {};
		for (const [key, value] of Object.entries(headers)) {
			if (value !== undefined && (!key.startsWith(':') || [':method', ':path', ':scheme', ':authority'].includes(key))) forward[key] = value as string;
		}
		const request = session.request(forward, {endStream: false});
		stream.pipe(request);
		request.on('response', response => {
			const head = Object.fromEntries(Object.entries(response).filter(([k]) => !k.startsWith(':') || k === ':status'));
			stream.respond(head, {waitForTrailers: true});
			request.pipe(stream);
		});
		request.on('trailers', trailers => stream.once('wantTrailers', () => stream.sendTrailers(trailers)));
		request.on('error', () => stream.close(constants.NGHTTP2_INTERNAL_ERROR));
		stream.on('error', () => request.close());
	});
	await new Promise<void>(resolve => server.listen(socket, resolve));
	return {
		socket,
		methods,
		close: () =>
			new Promise(resolve => {
				session.close();
				server.close(() => resolve());
			}),
	};
}

/** CRI methods a read-only session may call. */
export const readOnlyCriMethod = /^\/runtime\.v1\.(RuntimeService|ImageService)\/(List\w+|\w*Status|\w+Stats|Version|ImageFsInfo)$/;
