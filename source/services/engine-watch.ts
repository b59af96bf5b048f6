import type {EngineEvent, EngineEventSource} from '../adapters/docker/docker-events.js';
import type {DockerReader} from '../adapters/docker/docker-reader.js';
import type {ContainerRecord, ContainerState, EngineSnapshot} from '../domain/types.js';
import type {ConsoleFeed, FeedState} from './console-feed.js';

/** A sampling feed that can be started and stopped (the Docker sampler). */
export type StartableFeed = ConsoleFeed & {start(): void; stop(): Promise<void>};

export interface EngineWatchOptions {
	/** First reconnect delay; doubles up to maxBackoffMs. */
	backoffMs?: number;
	maxBackoffMs?: number;
	/** A cheap liveness probe when no event came for one interval (an engine that hangs keeps its stream open). */
	probe?: (timeoutMs: number) => Promise<unknown>;
	now?: () => number;
}

/** What an event or a resync said about the containers, kept until the sampler's own list agrees. */
interface Overlay {
	/** Containers the sampler does not list yet (created since its last list). */
	added: Map<string, ContainerRecord>;
	/** Destroyed containers, with the sampler generation they were removed at. */
	removed: Map<string, number>;
	/** States from events, with the generation they were seen at. */
	states: Map<string, {state: ContainerState; gen: number}>;
	/** Names from renames: the sampler re-reads names only on a full scan. */
	names: Map<string, string>;
	/** Images re-listed after an image event, valid while the sampler still shows `base`. */
	images: {base: EngineSnapshot['images']; images: EngineSnapshot['images']} | null;
	/** Volumes destroyed, valid while the sampler still shows `base`. */
	volumes: {base: EngineSnapshot['usage']; gone: Set<string>} | null;
}

const eventState: Partial<Record<EngineEvent['action'], ContainerState>> = {start: 'running', die: 'exited', pause: 'paused', unpause: 'running', create: 'created'};

/**
 * Keeps a Docker-compatible engine's list live between samples: follows its event stream
 * (create, start, die, destroy, rename; image and volume removal) and patches the
 * sampler's snapshot with one targeted list per event, never a walk. A broken stream
 * marks the engine lost at once (the header says STALE); it reconnects with backoff and
 * resynchronises with one list. Works for any engine DockerReader reads (Docker, Podman).
 */
export class EngineWatch implements ConsoleFeed {
	private readonly listeners = new Set<() => void>();
	private overlay: Overlay = {added: new Map(), removed: new Map(), states: new Map(), names: new Map(), images: null, volumes: null};
	private lost: {at: number; reason: string} | null = null;
	private gen = 0;
	private seenSnapshot: FeedState['snapshot'] = null;
	private cached: FeedState;
	private stream: {close(): void} | null = null;
	private connected = false;
	private retry: NodeJS.Timeout | undefined;
	private watchdog: NodeJS.Timeout | undefined;
	private backoff: number;
	private lastHeard = 0;
	private stopped = false;
	private unsubscribe: () => void = () => {};
	/** Events wait here while a targeted read runs, so reads never overlap and none is lost. */
	private queue: EngineEvent[] = [];
	private draining = false;
	private readonly now: () => number;

	constructor(
		private readonly inner: StartableFeed,
		private readonly reader: DockerReader,
		private readonly events: EngineEventSource,
		private readonly options: EngineWatchOptions = {},
	) {
		this.backoff = options.backoffMs ?? 250;
		this.now = options.now ?? Date.now;
		this.cached = this.compose();
	}

	getState = (): FeedState => this.cached;

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	refresh = (): void => this.inner.refresh();

	start(): void {
		this.unsubscribe = this.inner.subscribe(() => this.update());
		this.inner.start();
		this.connect();
		const interval = this.inner.getState().intervalMs;
		this.watchdog = setInterval(() => void this.probe(interval), interval);
		this.watchdog.unref?.();
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.retry);
		clearInterval(this.watchdog);
		this.stream?.close();
		this.unsubscribe();
		await this.inner.stop();
	}

	private connect(): void {
		if (this.stopped) return;
		this.stream = this.events.open({
			onOpen: () => {
				this.connected = true;
				this.lastHeard = this.now();
				// Events from now on are not missed; one list catches up with what happened while away.
				void this.resync().then(ok => {
					if (!ok || this.stopped) return;
					this.backoff = this.options.backoffMs ?? 250;
					if (this.lost) {
						this.lost = null;
						this.update();
					}
				});
			},
			onEvent: event => {
				this.lastHeard = this.now();
				this.queue.push(event);
				void this.drain();
			},
			onClose: reason => {
				this.connected = false;
				this.stream = null;
				this.markLost(reason);
				this.scheduleReconnect();
			},
		});
	}

	private scheduleReconnect(): void {
		if (this.stopped) return;
		clearTimeout(this.retry);
		this.retry = setTimeout(() => this.connect(), this.backoff);
		this.retry.unref?.();
		this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 4000);
	}

	private markLost(reason: string): void {
		if (this.stopped) return;
		this.lost = {at: this.lost?.at ?? this.now(), reason};
		this.update();
	}

	/** An engine that hangs keeps its stream open: probe it when it has been silent for an interval. */
	private async probe(intervalMs: number): Promise<void> {
		if (!this.connected || !this.options.probe || this.now() - this.lastHeard < intervalMs) return;
		try {
			await this.options.probe(Math.max(1000, intervalMs));
			this.lastHeard = this.now();
		} catch (error) {
			if (!this.connected) return;
			// Drop the stream and start over: the reconnect's resync clears the mark.
			this.stream?.close();
			this.stream = null;
			this.connected = false;
			this.markLost((error as Error).message.split('\n')[0]!);
			this.scheduleReconnect();
		}
	}

	private engine(): EngineSnapshot | undefined {
		return this.inner.getState().snapshot?.engines[0];
	}

	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const batch = this.queue.splice(0);
				await this.apply(batch).catch(() => undefined); // the next sample or resync catches up
				this.version++;
				this.update();
			}
		} finally {
			this.draining = false;
		}
	}

	/** Patches the overlay from a batch of events: one filtered list for the containers they name, one image list if needed. */
	private async apply(batch: EngineEvent[]): Promise<void> {
		const engine = this.engine();
		if (!engine) return; // the first scan is still running: it will list them
		const o = this.overlay;
		const toRead = new Set<string>();
		let images = false;
		for (const event of batch) {
			if (event.type === 'image') images = true;
			else if (event.type === 'volume') {
				if (!o.volumes || o.volumes.base !== engine.usage) o.volumes = {base: engine.usage, gone: new Set()};
				o.volumes.gone.add(event.id);
			} else if (event.action === 'destroy') {
				o.removed.set(event.id, this.gen);
				o.added.delete(event.id);
				o.states.delete(event.id);
				o.names.delete(event.id);
				toRead.delete(event.id);
			} else {
				if (event.action === 'rename' && event.name) o.names.set(event.id, event.name);
				const state = eventState[event.action];
				if (state) o.states.set(event.id, {state, gen: this.gen});
				const known = engine.containers.some(c => c.id === event.id) || o.added.has(event.id);
				if (!known) toRead.add(event.id);
			}
		}
		if (toRead.size > 0) {
			const records = await this.reader.containers(engine.runtime.rootDir, engine.runtime.storageDriver, [...toRead]);
			for (const record of records) if (!o.removed.has(record.id)) o.added.set(record.id, record);
		}
		if (images) o.images = {base: engine.images, images: await this.reader.images(engine.runtime)};
	}

	/** After a reconnect: one list of containers (and images) replaces what the events would have said. */
	private async resync(): Promise<boolean> {
		const engine = this.engine();
		if (!engine) return true; // nothing shown yet: the sampler's first scan lists everything
		try {
			const [listed, images] = await Promise.all([this.reader.containers(engine.runtime.rootDir, engine.runtime.storageDriver), this.reader.images(engine.runtime)]);
			const o = this.overlay;
			const ids = new Set(listed.map(c => c.id));
			for (const c of engine.containers) if (!ids.has(c.id)) o.removed.set(c.id, this.gen);
			const sampled = new Map(engine.containers.map(c => [c.id, c]));
			for (const record of listed) {
				const old = sampled.get(record.id);
				if (!old) o.added.set(record.id, record);
				else {
					if (old.state !== record.state) o.states.set(record.id, {state: record.state, gen: this.gen});
					if (old.name !== record.name) o.names.set(record.id, record.name);
				}
			}
			o.images = {base: engine.images, images};
			this.version++;
			this.update();
			return true;
		} catch (error) {
			this.markLost((error as Error).message.split('\n')[0]!);
			return false;
		}
	}

	/** The sampler published, or the overlay changed: age the overlay and recompose. */
	private update(): void {
		const snapshot = this.inner.getState().snapshot;
		if (snapshot !== this.seenSnapshot) {
			this.seenSnapshot = snapshot;
			this.gen++;
			this.prune();
			this.version++;
		}
		this.cached = this.compose();
		for (const listener of this.listeners) listener();
	}

	/**
	 * Forgets what the sampler now knows. A sample may have listed just before an event, so
	 * removals and states are kept until a second sample after them.
	 */
	private prune(): void {
		const engine = this.engine();
		if (!engine) return;
		const o = this.overlay;
		const sampled = new Map(engine.containers.map(c => [c.id, c]));
		for (const id of o.added.keys()) if (sampled.has(id)) o.added.delete(id);
		for (const [id, gen] of o.removed) if (this.gen - gen > 2 && !sampled.has(id)) o.removed.delete(id);
		for (const [id, s] of o.states) if (this.gen - s.gen > 2 || sampled.get(id)?.state === s.state) o.states.delete(id);
		for (const [id, name] of o.names)
			if (!sampled.has(id) && !o.added.has(id)) o.names.delete(id);
			else if (sampled.get(id)?.name === name) o.names.delete(id);
		if (o.images && o.images.base !== engine.images) o.images = null;
		if (o.volumes && o.volumes.base !== engine.usage) o.volumes = null;
	}

	/** The patched snapshot, rebuilt only when the sampler's snapshot or the overlay changed (rows are memoised on it). */
	private composed: {from: FeedState['snapshot']; version: number; snapshot: FeedState['snapshot']} | null = null;
	private version = 0;

	private compose(): FeedState {
		const state = this.inner.getState();
		const lost = this.lost;
		const base = {...state, lost, live: 'events' as const, error: state.error ?? lost?.reason ?? null};
		if (this.composed?.from !== state.snapshot || this.composed.version !== this.version) {
			this.composed = {from: state.snapshot, version: this.version, snapshot: this.patch(state.snapshot)};
		}
		return {...base, snapshot: this.composed.snapshot};
	}

	private patch(snapshot: FeedState['snapshot']): FeedState['snapshot'] {
		const engine = snapshot?.engines[0];
		if (!engine || !snapshot) return snapshot;
		const o = this.overlay;
		const clean = !(o.added.size || o.removed.size || o.states.size || o.names.size || o.images || o.volumes);
		if (clean) return snapshot;
		const patch = (c: ContainerRecord): ContainerRecord => {
			const s = o.states.get(c.id);
			const name = o.names.get(c.id);
			return s || name ? {...c, ...(s ? {state: s.state} : {}), ...(name ? {name} : {})} : c;
		};
		const containers = [...engine.containers.filter(c => !o.removed.has(c.id)), ...[...o.added.values()].filter(c => !o.removed.has(c.id))].map(patch);
		const usage = o.volumes && engine.usage.volumes ? {...engine.usage, volumes: engine.usage.volumes.filter(v => !o.volumes!.gone.has(v.name))} : engine.usage;
		const next: EngineSnapshot = {...engine, containers, images: o.images?.images ?? engine.images, usage};
		return {...snapshot, engines: [next, ...snapshot.engines.slice(1)]};
	}
}
