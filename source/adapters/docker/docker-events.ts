/**
 * Docker's /events stream (also served by Podman's docker-compatible API) as a small
 * interface: one open stream at a time, events normalised to what the console needs,
 * and a close that says why. No reconnect logic here (services/engine-watch.ts has it).
 */
import type {DockerClient} from './docker-client.js';
import {dockerError} from './docker-errors.js';

export type EngineEventAction = 'create' | 'start' | 'die' | 'pause' | 'unpause' | 'destroy' | 'rename' | 'delete' | 'untag';

export interface EngineEvent {
	type: 'container' | 'image' | 'volume';
	action: EngineEventAction;
	/** Container or image id; a volume's name. */
	id: string;
	/** The container's name after a create or rename (untrusted: sanitise before display). */
	name?: string;
	/** ms since the epoch, from the engine. */
	at: number;
}

export interface EventStreamHandlers {
	/** The stream is open: every later change will arrive as an event. */
	onOpen(): void;
	onEvent(event: EngineEvent): void;
	/** The stream ended or failed (the engine went away): one line naming the endpoint. Called at most once, never after close(). */
	onClose(reason: string): void;
}

/** Anything that can follow an engine's changes. Docker and Podman share the Docker implementation. */
export interface EngineEventSource {
	open(handlers: EventStreamHandlers): {close(): void};
}

/** Event names as Docker sends them, plus Podman's compat spellings of the same events. */
const actions: Record<string, Record<string, EngineEventAction>> = {
	container: {create: 'create', start: 'start', die: 'die', died: 'die', pause: 'pause', unpause: 'unpause', destroy: 'destroy', remove: 'destroy', rename: 'rename'},
	image: {delete: 'delete', remove: 'delete', untag: 'untag'},
	volume: {destroy: 'destroy', remove: 'destroy'},
};

/** The filter sent with the request: only the events the console acts on. */
export const eventFilters = {
	type: Object.keys(actions),
	event: [...new Set(Object.values(actions).flatMap(Object.keys))],
};

/** One decoded /events object to an EngineEvent, or null for anything else. */
export function parseEngineEvent(raw: unknown): EngineEvent | null {
	if (!raw || typeof raw !== 'object') return null;
	const e = raw as {Type?: string; Action?: string; status?: string; id?: string; Actor?: {ID?: string; Attributes?: Record<string, string>}; time?: number; timeNano?: number};
	const type = e.Type ?? (e.id ? 'container' : undefined);
	if (type !== 'container' && type !== 'image' && type !== 'volume') return null;
	// "exec_start: sh -c …" and "health_status: healthy" carry a suffix; none of ours does.
	const action = actions[type]![(e.Action ?? e.status ?? '').split(':')[0]!.trim()];
	const id = e.Actor?.ID ?? e.id;
	if (!action || !id) return null;
	const at = e.timeNano ? Math.floor(e.timeNano / 1e6) : e.time ? e.time * 1000 : Date.now();
	const name = type === 'container' ? e.Actor?.Attributes?.name?.replace(/^\//, '') : undefined;
	return {type, action, id, at, ...(name ? {name} : {})};
}

/** Splits the stream's bytes into JSON objects (one per line; a chunk may hold several, or half of one). */
export function eventDecoder(emit: (raw: unknown) => void): (chunk: Buffer | string) => void {
	let pending = '';
	return chunk => {
		pending += chunk.toString();
		let newline: number;
		while ((newline = pending.indexOf('\n')) >= 0) {
			const line = pending.slice(0, newline).trim();
			pending = pending.slice(newline + 1);
			if (!line) continue;
			try {
				emit(JSON.parse(line));
			} catch {
				// not JSON: ignore the line, keep the stream
			}
		}
	};
}

/** Follows /events through a DockerClient (Docker, or Podman's docker-compatible socket). */
export function dockerEventSource(client: DockerClient, options: {filters?: Record<string, string[]>} = {}): EngineEventSource {
	const where = client.endpoint.display;
	return {
		open(handlers) {
			const controller = new AbortController();
			let closed = false;
			const close = (reason: string | null) => {
				if (closed) return;
				closed = true;
				controller.abort();
				if (reason !== null) handlers.onClose(reason);
			};
			const decode = eventDecoder(raw => {
				const event = parseEngineEvent(raw);
				if (event && !closed) handlers.onEvent(event);
			});
			(client.docker.getEvents({filters: options.filters ?? eventFilters, abortSignal: controller.signal} as never) as unknown as Promise<NodeJS.ReadableStream>).then(
				stream => {
					if (closed) return void (stream as unknown as {destroy?: () => void}).destroy?.();
					handlers.onOpen();
					stream.on('data', decode);
					stream.on('error', (error: Error) => close(dockerError(error, client.endpoint, 'events').message));
					stream.on('end', () => close(`lost the event stream of Docker at ${where}`));
					stream.on('close', () => close(`lost the event stream of Docker at ${where}`));
				},
				(error: Error) => close(dockerError(error, client.endpoint, 'events').message),
			);
			return {close: () => close(null)};
		},
	};
}
